import type { SpecNode } from '../../source/tree';
import type { ProblemSink } from '../problems';
import { itemPath, keyPath } from '../source-index';
import type { RunsOn } from '../workflow';
import { invalidType, readMap, readString } from './read';

const EXPRESSION = '${{';

/**
 * `runs-on: label`, `runs-on: [a, b]`, `runs-on: { labels: … }` → `{ labels }`; `runs-on: ${{ … }}`
 * (the whole value one expression) → `{ labels: [], expression }`. Which labels exist is checked by
 * lib/model/validate/runs-on.ts against the project's label table.
 */
export function normalizeRunsOn(node: SpecNode, path: string, sink: ProblemSink): RunsOn | undefined {
  if (node.kind === 'map') {
    const entries = readMap(node, path, 'runsOn', sink);
    const labels = entries?.get('labels');
    if (!entries || !labels) {
      if (entries) sink.report('missing-key', node.pos, keyPath(path, 'labels'), `${path}: the mapping form of runs-on needs labels`);
      return undefined;
    }
    return readLabels(labels.value, keyPath(path, 'labels'), sink);
  }
  return readLabels(node, path, sink);
}

function readLabels(node: SpecNode, path: string, sink: ProblemSink): RunsOn | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    if (node.value.includes(EXPRESSION)) return { labels: [], expression: node.value };
    return { labels: [node.value] };
  }
  if (node.kind !== 'seq' || node.items.length === 0) return invalidType(sink, node, path, 'a runner label or a non-empty list of labels');
  const labels: string[] = [];
  node.items.forEach((item, index) => {
    const at = itemPath(path, index);
    const label = readString(item, at, sink);
    if (label === undefined) return;
    if (label.includes(EXPRESSION)) {
      const message = `${at}: an expression in runs-on must be the whole value (runs-on: \${{ matrix.<key> }}), not one label of a list`;
      sink.report('runs-on-expression', item.pos, at, message);
      return;
    }
    labels.push(label);
  });
  return { labels: [...new Set(labels)] };
}
