import type { SpecEntry, SpecNode } from '../../source/tree';
import { cronProblem } from '../cron';
import { activityTypes, allowedKeys, defaultPullRequestTypes, githubEvents, inputTypes, unsupportedEventReason } from '../keys';
import type { ProblemSink } from '../problems';
import { itemPath, keyPath } from '../source-index';
import type { ActivityTrigger, InputType, PushTrigger, ScheduleTrigger, Triggers, WorkflowCall, WorkflowDispatch, WorkflowInput, WorkflowRunTrigger } from '../workflow';
import { normalizeWorkflowCall } from './workflow-call';
import {
  describe,
  invalidType,
  readBoolean,
  readList,
  readMap,
  readOpenMap,
  readString,
  readStringList,
  readText,
  reportUnknownKey,
  reportUnsupported,
} from './read';

/** `on:` in its three forms — `push`, `[push, workflow_dispatch]`, or a mapping of event → settings. */
export function normalizeTriggers(node: SpecNode, sink: ProblemSink): Triggers {
  const path = 'on';
  const events: { name: string; value?: SpecNode; entry?: SpecEntry; at: SpecNode }[] = [];
  if (node.kind === 'scalar' && typeof node.value === 'string') events.push({ name: node.value, at: node });
  else if (node.kind === 'seq') {
    node.items.forEach((item, index) => {
      const name = readString(item, itemPath(path, index), sink);
      if (name !== undefined) events.push({ name, at: item });
    });
  } else if (node.kind === 'map') {
    for (const entry of node.entries) events.push({ name: entry.key, value: entry.value, entry, at: entry.value });
  } else invalidType(sink, node, path, 'an event name, a list of events or a mapping of events');

  let workflowDispatch: WorkflowDispatch | undefined;
  let workflowCall: WorkflowCall | undefined;
  let push: PushTrigger | undefined;
  let schedule: ScheduleTrigger[] = [];
  const activities: ActivityTrigger[] = [];
  for (const event of events) {
    const at = keyPath(path, event.name);
    const entry: SpecEntry = event.entry ?? { key: event.name, keyPos: event.at.pos, value: { ...nullNode, pos: event.at.pos } };
    const value = event.value ?? entry.value;
    if (event.name === 'workflow_dispatch') workflowDispatch = normalizeDispatch(value, at, sink);
    else if (event.name === 'workflow_call') workflowCall = normalizeWorkflowCall(value, at, sink);
    else if (event.name === 'push') push = normalizePush(value, at, sink);
    else if (event.name === 'schedule') {
      if (event.value === undefined) invalidType(sink, event.at, at, 'a list of { cron: … } entries under on.schedule');
      else schedule = normalizeSchedule(value, at, sink);
    } else if (event.name === 'pull_request' || event.name === 'pull_request_target') {
      activities.push(normalizePullRequest(event.name, value, at, sink));
    } else if (event.name === 'release' || event.name === 'repository_dispatch') {
      activities.push(normalizeTypedActivity(event.name, value, at, sink));
    } else if (event.name === 'workflow_run') {
      const trigger = normalizeWorkflowRun(value, event.at, at, sink);
      if (trigger) activities.push(trigger);
    } else if ((githubEvents as readonly string[]).includes(event.name)) {
      reportUnsupported(sink, { ...entry, value: nullNode }, at, unsupportedEventReason);
    } else reportUnknownKey(sink, entry, at, allowedKeys.events);
  }
  return {
    ...(workflowDispatch && { workflowDispatch }),
    ...(push && { push }),
    schedule,
    ...(activities.length > 0 && { activities }),
    ...(workflowCall && { workflowCall }),
  };
}

/** `types:` of an activity trigger, each one GitHub knows for the event (any name for repository_dispatch). */
function readTypes(node: SpecNode, event: ActivityTrigger['event'], path: string, sink: ProblemSink): string[] | undefined {
  const types = readStringList(node, path, sink);
  if (types === undefined) return undefined;
  const known: readonly string[] | undefined =
    event === 'repository_dispatch' ? undefined : activityTypes[event === 'release' || event === 'workflow_run' ? event : 'pull_request'];
  if (known === undefined) return types;
  return types.filter((type, index) => {
    if (known.includes(type)) return true;
    const at = node.kind === 'seq' ? itemPath(path, index) : path;
    const position = node.kind === 'seq' ? (node.items[index]?.pos ?? node.pos) : node.pos;
    const hint = type === 'merged' ? " (a merge is 'closed' with event.pull_request.merged true)" : '';
    sink.report('invalid-enum', position, at, `${at}: '${type}' is not a ${event} activity type${hint}; use one of ${known.join(', ')}`);
    return false;
  });
}

function normalizePullRequest(event: 'pull_request' | 'pull_request_target', node: SpecNode, path: string, sink: ProblemSink): ActivityTrigger {
  const entries = isNull(node) ? undefined : readMap(node, path, 'pullRequest', sink);
  const typesEntry = entries?.get('types');
  const types = (typesEntry && readTypes(typesEntry.value, event, keyPath(path, 'types'), sink)) ?? [...defaultPullRequestTypes];
  const paths = readFilterPair(entries, path, 'paths', sink);
  return { event, types, ...readBranchFilters(entries, path, sink), ...(paths.include && { paths: paths.include }), ...(paths.ignore && { pathsIgnore: paths.ignore }) };
}

/** `branches` / `branches-ignore` of an activity trigger. */
function readBranchFilters(entries: Map<string, SpecEntry> | undefined, path: string, sink: ProblemSink): { branches?: string[]; branchesIgnore?: string[] } {
  const { include, ignore } = readFilterPair(entries, path, 'branches', sink);
  return { ...(include && { branches: include }), ...(ignore && { branchesIgnore: ignore }) };
}

/** `<filter>` and `<filter>-ignore`; GitHub refuses both at once. */
function readFilterPair(entries: Map<string, SpecEntry> | undefined, path: string, filter: string, sink: ProblemSink): { include?: string[]; ignore?: string[] } {
  const list = (key: string): string[] | undefined => {
    const entry = entries?.get(key);
    return entry && readStringList(entry.value, keyPath(path, key), sink);
  };
  const ignoreEntry = entries?.get(`${filter}-ignore`);
  if (entries?.has(filter) && ignoreEntry) {
    const at = keyPath(path, `${filter}-ignore`);
    sink.report('conflicting-filters', ignoreEntry.keyPos, at, `${at}: ${filter} and ${filter}-ignore cannot be used together (GitHub rule); use ${filter} with '!pattern' entries instead`);
  }
  const include = list(filter);
  const ignore = list(`${filter}-ignore`);
  return { ...(include && { include }), ...(ignore && { ignore }) };
}

/** `on.workflow_run`: `workflows` (names) is required, as on GitHub. */
function normalizeWorkflowRun(node: SpecNode, at: SpecNode, path: string, sink: ProblemSink): WorkflowRunTrigger | undefined {
  const entries = isNull(node) ? new Map<string, SpecEntry>() : readMap(node, path, 'workflowRun', sink);
  if (!entries) return undefined;
  const workflowsEntry = entries.get('workflows');
  const workflowsPath = keyPath(path, 'workflows');
  const workflows = workflowsEntry && readStringList(workflowsEntry.value, workflowsPath, sink);
  if (!workflowsEntry) sink.report('missing-key', at.pos, workflowsPath, `${path}: workflows is required: the names of the workflows whose runs start this one`);
  else if (workflows?.length === 0) sink.report('missing-key', workflowsEntry.value.pos, workflowsPath, `${workflowsPath}: name at least one workflow`);
  const typesEntry = entries.get('types');
  const types = typesEntry && readTypes(typesEntry.value, 'workflow_run', keyPath(path, 'types'), sink);
  const branches = readBranchFilters(entries, path, sink);
  if (workflows === undefined || workflows.length === 0) return undefined;
  return { event: 'workflow_run', workflows, ...(types && { types }), ...branches };
}

function normalizeTypedActivity(event: 'release' | 'repository_dispatch', node: SpecNode, path: string, sink: ProblemSink): ActivityTrigger {
  const entries = isNull(node) ? undefined : readMap(node, path, 'activityTypes', sink);
  const typesEntry = entries?.get('types');
  const types = typesEntry && readTypes(typesEntry.value, event, keyPath(path, 'types'), sink);
  return { event, ...(types && { types }) };
}

const nullNode: SpecNode = { kind: 'scalar', value: null, pos: { line: 1, column: 1 }, style: 'plain', source: '' };

const isNull = (node: SpecNode): boolean => node.kind === 'scalar' && node.value === null;

function normalizeDispatch(node: SpecNode, path: string, sink: ProblemSink): WorkflowDispatch {
  if (isNull(node)) return { inputs: [] };
  const entries = readMap(node, path, 'workflowDispatch', sink);
  const inputsEntry = entries?.get('inputs');
  if (!inputsEntry || isNull(inputsEntry.value)) return { inputs: [] };
  const inputsPath = keyPath(path, 'inputs');
  const inputs: WorkflowInput[] = [];
  for (const entry of readOpenMap(inputsEntry.value, inputsPath, sink) ?? []) {
    const input = normalizeInput(entry, keyPath(inputsPath, entry.key), sink);
    if (input) inputs.push(input);
  }
  return { inputs };
}

function normalizeInput(entry: SpecEntry, path: string, sink: ProblemSink): WorkflowInput | undefined {
  const fields = isNull(entry.value) ? new Map<string, SpecEntry>() : readMap(entry.value, path, 'input', sink);
  if (!fields) return undefined;
  const get = (key: string): SpecNode | undefined => fields.get(key)?.value;
  const typeNode = get('type');
  let type: InputType = 'string';
  if (typeNode) {
    const text = readString(typeNode, keyPath(path, 'type'), sink);
    if (text !== undefined && (inputTypes as readonly string[]).includes(text)) type = text as InputType;
    else if (text !== undefined) {
      const message = `${keyPath(path, 'type')}: '${text}' is not an input type; use one of ${inputTypes.join(', ')}`;
      sink.report('invalid-enum', typeNode.pos, keyPath(path, 'type'), message);
    }
  }
  const descriptionNode = get('description');
  const description = descriptionNode && readText(descriptionNode, keyPath(path, 'description'), sink);
  const requiredNode = get('required');
  const required = (requiredNode && readBoolean(requiredNode, keyPath(path, 'required'), sink)) ?? false;
  const options = normalizeOptions(get('options'), type, entry, path, sink);
  const defaultValue = normalizeDefault(get('default'), type, options, keyPath(path, 'default'), sink);
  return {
    id: entry.key,
    type,
    required,
    ...(description !== undefined && { description }),
    ...(defaultValue !== undefined && { default: defaultValue }),
    ...(options !== undefined && { options }),
  };
}

function normalizeOptions(
  node: SpecNode | undefined,
  type: InputType,
  entry: SpecEntry,
  path: string,
  sink: ProblemSink,
): string[] | undefined {
  const at = keyPath(path, 'options');
  if (type !== 'choice') {
    if (node) sink.report('invalid-input', node.pos, at, `${at}: options are only for inputs of type choice (this input is ${type})`);
    return undefined;
  }
  const options = node && readList(node, at, sink, 'a list of options');
  if (!options || options.length === 0) {
    const message = `${path}: an input of type choice needs a non-empty list of options`;
    sink.report('choice-without-options', node?.pos ?? entry.keyPos, node ? at : path, message);
    return node ? [] : undefined;
  }
  return options.flatMap((option, index) => readText(option, itemPath(at, index), sink) ?? []);
}

function normalizeDefault(
  node: SpecNode | undefined,
  type: InputType,
  options: readonly string[] | undefined,
  path: string,
  sink: ProblemSink,
): string | number | boolean | undefined {
  if (!node || isNull(node)) return undefined;
  if (node.kind !== 'scalar') return invalidType(sink, node, path, `a ${type} default`);
  const value = node.value;
  if (type === 'boolean' && typeof value !== 'boolean') return invalidType(sink, node, path, 'true or false (the input is boolean)');
  if (type === 'number' && typeof value !== 'number') return invalidType(sink, node, path, 'a number (the input is number)');
  if (type === 'choice' && options && options.length > 0 && !options.includes(String(value))) {
    const message = `${path}: ${describe(node)} is not one of the options (${options.map((option) => `'${option}'`).join(', ')})`;
    sink.report('default-not-in-options', node.pos, path, message);
    return undefined;
  }
  if (type === 'boolean' || type === 'number') return value as boolean | number;
  return String(value);
}

function normalizePush(node: SpecNode, path: string, sink: ProblemSink): PushTrigger {
  if (isNull(node)) return {};
  const entries = readMap(node, path, 'push', sink);
  if (!entries) return {};
  const list = (key: string): string[] | undefined => {
    const entry = entries.get(key);
    return entry && readStringList(entry.value, keyPath(path, key), sink);
  };
  for (const filter of ['branches', 'tags', 'paths']) {
    const ignore = entries.get(`${filter}-ignore`);
    if (entries.has(filter) && ignore) {
      const at = keyPath(path, `${filter}-ignore`);
      const message = `${at}: ${filter} and ${filter}-ignore cannot be used together (GitHub rule); use ${filter} with '!pattern' entries instead`;
      sink.report('conflicting-filters', ignore.keyPos, at, message);
    }
  }
  const branches = list('branches');
  const branchesIgnore = list('branches-ignore');
  const tags = list('tags');
  const tagsIgnore = list('tags-ignore');
  const paths = list('paths');
  const pathsIgnore = list('paths-ignore');
  return {
    ...(branches && { branches }),
    ...(branchesIgnore && { branchesIgnore }),
    ...(tags && { tags }),
    ...(tagsIgnore && { tagsIgnore }),
    ...(paths && { paths }),
    ...(pathsIgnore && { pathsIgnore }),
  };
}

function normalizeSchedule(node: SpecNode, path: string, sink: ProblemSink): ScheduleTrigger[] {
  const items = readList(node, path, sink, 'a list of { cron: … } entries');
  const schedule: ScheduleTrigger[] = [];
  (items ?? []).forEach((item, index) => {
    const at = itemPath(path, index);
    const entries = readMap(item, at, 'schedule', sink);
    if (!entries) return;
    const cronEntry = entries.get('cron');
    if (!cronEntry) {
      sink.report('missing-key', item.pos, at, `${at}: a schedule entry needs cron`);
      return;
    }
    const cronPath = keyPath(at, 'cron');
    const cron = readString(cronEntry.value, cronPath, sink);
    if (cron === undefined) return;
    const problem = cronProblem(cron);
    if (problem !== undefined) sink.report('invalid-cron', cronEntry.value.pos, cronPath, `${cronPath}: '${cron}' is not a valid cron: ${problem}`);
    else schedule.push({ cron });
  });
  return schedule;
}
