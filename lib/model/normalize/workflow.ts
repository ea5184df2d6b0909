import type { SpecNode } from '../../source/tree';
import { noSettings, type ProjectSettings } from '../environments';
import type { ProblemSink } from '../problems';
import { runnerLabelTable, type RunnerLabelTable } from '../runner-labels';
import type { Workflow } from '../workflow';
import { normalizeConcurrency } from './concurrency';
import { normalizeDefaults } from './defaults';
import { normalizeJob, type StepPaths } from './job';
import { normalizePermissions } from './permissions';
import { readEnv, readMap, readPositiveInteger, readText } from './read';
import { normalizeTriggers } from './triggers';

/**
 * The spec tree → a Workflow with defaults applied. Shape mistakes are reported to `sink` and the
 * offending part is left out or defaulted, so the semantic checks still run on the rest.
 */
export function normalizeWorkflow(
  root: SpecNode | undefined,
  file: string,
  sink: ProblemSink,
  stepPaths: StepPaths,
  runnerLabels: RunnerLabelTable = runnerLabelTable(),
  settings: ProjectSettings = noSettings,
): Workflow | undefined {
  const node: SpecNode = root ?? { kind: 'map', pos: { line: 1, column: 1 }, entries: [] };
  const entries = readMap(node, '', 'workflow', sink);
  if (!entries) return undefined;
  const value = (key: string) => entries.get(key)?.value;
  const baseName = fileBaseName(file);

  const onNode = value('on');
  if (!onNode) sink.report('missing-key', node.pos, 'on', 'on is required: the events that start the workflow (workflow_dispatch, push, schedule)');
  const jobsNode = value('jobs');
  const jobEntries = jobsNode?.kind === 'map' ? [...new Map(jobsNode.entries.map((entry) => [entry.key, entry])).values()] : [];
  if (!jobsNode || jobEntries.length === 0) {
    const message = jobsNode?.kind === 'map' || !jobsNode ? 'jobs is required: a mapping with at least one job' : `jobs: expected a mapping of job id → job`;
    sink.report('no-jobs', jobsNode?.pos ?? node.pos, 'jobs', message);
  }
  const nameNode = value('name');
  const name = nameNode && readText(nameNode, 'name', sink);
  const runNameNode = value('run-name');
  const runName = runNameNode && readText(runNameNode, 'run-name', sink);
  const permissionsNode = value('permissions');
  const permissions = permissionsNode && normalizePermissions(permissionsNode, 'permissions', sink);
  const defaultsNode = value('defaults');
  const defaults = defaultsNode ? normalizeDefaults(defaultsNode, 'defaults', sink) : {};
  const envNode = value('env');
  const concurrencyNode = value('concurrency');
  const concurrency = concurrencyNode && normalizeConcurrency(concurrencyNode, 'concurrency', sink);
  const maxParallelNode = value('max-parallel');
  const maxParallel = maxParallelNode && readPositiveInteger(maxParallelNode, 'max-parallel', sink);

  return {
    name: name ?? baseName,
    ...(runName !== undefined && { runName }),
    id: workflowId(baseName),
    file,
    on: onNode ? normalizeTriggers(onNode, sink) : { schedule: [] },
    env: envNode ? readEnv(envNode, 'env', sink) : {},
    ...(permissions !== undefined && { permissions }),
    defaults,
    runnerLabels,
    ...(concurrency !== undefined && { concurrency }),
    ...(maxParallel !== undefined && { maxParallel }),
    jobs: jobEntries.flatMap((entry) => normalizeJob(entry, file, sink, stepPaths, defaults) ?? []),
    vars: [],
    environments: settings.environments,
    githubToken: settings.githubToken,
  };
}

function fileBaseName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.ya?ml$/i, '') || 'workflow';
}

/** Resource-safe id: [A-Za-z0-9-] only, no leading/trailing or repeated dashes. */
export function workflowId(baseName: string): string {
  const id = baseName.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return id === '' ? 'workflow' : id;
}
