import type { SpecNode } from '../../source/tree';
import { queueModes } from '../keys';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { Concurrency, QueueMode } from '../workflow';
import { invalidType, readBooleanOrExpression, readMap, readPositiveInteger, readString, readText } from './read';

/** `concurrency: group-name` or the mapping form; defaults: single queue, capacity 1, no cancelling. */
export function normalizeConcurrency(node: SpecNode, path: string, sink: ProblemSink): Concurrency | undefined {
  if (node.kind === 'scalar' && node.value !== null) {
    const group = readText(node, path, sink);
    return group === undefined ? undefined : { group, cancelInProgress: false, queue: 'single', capacity: 1 };
  }
  const entries = readMap(node, path, 'concurrency', sink);
  if (!entries) return undefined;
  const groupEntry = entries.get('group');
  const groupPath = keyPath(path, 'group');
  let group: string | undefined;
  if (!groupEntry) sink.report('missing-key', node.pos, groupPath, `${path}: group is required (the name runs wait on)`);
  else group = readText(groupEntry.value, groupPath, sink);
  if (group === '' && groupEntry) invalidType(sink, groupEntry.value, groupPath, 'a non-empty group name');

  const cancelEntry = entries.get('cancel-in-progress');
  const cancelInProgress = (cancelEntry && readBooleanOrExpression(cancelEntry.value, keyPath(path, 'cancel-in-progress'), sink)) ?? false;

  const queueEntry = entries.get('queue');
  const queuePath = keyPath(path, 'queue');
  let queue: QueueMode = 'single';
  if (queueEntry) {
    const text = readString(queueEntry.value, queuePath, sink);
    if (text !== undefined && (queueModes as readonly string[]).includes(text)) queue = text as QueueMode;
    else if (text !== undefined) {
      const message = `${queuePath}: '${text}' is not a queue mode; use single (one pending run, a newer one replaces it) or max (FIFO of up to 100)`;
      sink.report('invalid-enum', queueEntry.value.pos, queuePath, message);
    }
  }
  if (queue === 'max' && cancelInProgress !== false && cancelEntry) {
    const message = `${keyPath(path, 'cancel-in-progress')}: queue: max keeps every pending run in order, so it cannot be combined with cancel-in-progress; remove one of them`;
    sink.report('queue-max-with-cancel', cancelEntry.keyPos, keyPath(path, 'cancel-in-progress'), message);
  }

  const capacityEntry = entries.get('capacity');
  const capacity = (capacityEntry && readPositiveInteger(capacityEntry.value, keyPath(path, 'capacity'), sink)) ?? 1;
  if (group === undefined || group === '') return undefined;
  return { group, cancelInProgress, queue, capacity };
}
