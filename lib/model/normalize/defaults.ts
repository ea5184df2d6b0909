import type { SpecEntry, SpecNode } from '../../source/tree';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { RunDefaults } from '../workflow';
import { readMap, readText, reportUnsupported } from './read';

/** `defaults: { run: { shell, working-directory } }` at workflow or job level. */
export function normalizeDefaults(node: SpecNode, path: string, sink: ProblemSink): RunDefaults {
  const entries = readMap(node, path, 'defaults', sink);
  const run = entries?.get('run');
  if (!run) return {};
  const runPath = keyPath(path, 'run');
  const runEntries = readMap(run.value, runPath, 'defaultsRun', sink);
  if (!runEntries) return {};
  checkShell(runEntries.get('shell'), keyPath(runPath, 'shell'), sink);
  const directory = runEntries.get('working-directory');
  const workingDirectory = directory && readText(directory.value, keyPath(runPath, 'working-directory'), sink);
  return workingDirectory === undefined ? {} : { workingDirectory };
}

/** Steps always run with bash; `shell: bash` says so explicitly, any other shell is rejected. */
export function checkShell(entry: SpecEntry | undefined, path: string, sink: ProblemSink): void {
  if (!entry) return;
  if (entry.value.kind === 'scalar' && entry.value.value === 'bash') return;
  reportUnsupported(sink, entry, path, 'steps always run with bash (in CodeBuild and locally); shell: bash is the only value');
}
