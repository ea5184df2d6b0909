// Reads and loads the workflow each calling job names (`uses: ./.github/workflows/x.yml`), from the
// repository the caller is in, each with the caller's load options; loops and nesting past GitHub's
// limit are refused with the chain of files.

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LoadResult } from '../load';
import { formatProblem } from '../problem';
import type { ProblemSink } from '../problems';
import { keyPath, type SourceIndex } from '../source-index';
import type { ReusableCall, Workflow } from '../workflow';
import { actionCacheDir, actionsCacheRoot, LOCK_FILE, readLockSync } from '../actions/lock';
import { cachedWithDigest } from '../actions/resolver';

/** GitHub.com: a top-level caller and up to nine levels of reusable workflows. */
export const MAX_WORKFLOW_LEVELS = 10;

/** How a called file is read: its path relative to the repository root → its text and the file name to report. */
export interface WorkflowReader {
  read(path: string): { readonly file: string; readonly text: string } | undefined;
  /** A workflow of another repository, as stepdeploy.lock.json and the actions cache have it (never fetched here). */
  remote?(repository: string, ref: string, path: string): RemoteWorkflow;
}

export type RemoteWorkflow = { readonly found: true; readonly file: string; readonly text: string } | { readonly found: false; readonly reason: string };

/** The files under `root`; remote workflows through the lock next to `lockOwner` (a workflow file) and the actions cache. */
export function fileSystemWorkflows(root: string, lockOwner?: string, cacheRoot = actionsCacheRoot()): WorkflowReader {
  return {
    read: (path) => readText(join(root, path), relative(process.cwd(), join(root, path)) || join(root, path)),
    remote(repository, ref, path) {
      const update = 'run `stepdeploy actions update` (validate and plan never fetch: they need the called jobs from the lock and the cache)';
      const locked = lockOwner === undefined ? undefined : readLockSync(lockOwner)[`${repository}@${ref}`];
      if (locked === undefined) return { found: false, reason: `is not in ${LOCK_FILE} yet: ${update}` };
      if (!cachedWithDigest(cacheRoot, repository, locked.sha, locked.digest)) return { found: false, reason: `is locked to ${locked.sha} but not in the actions cache: ${update}` };
      const found = readText(join(actionCacheDir(cacheRoot, repository, locked.sha), path), `${repository}@${locked.sha.slice(0, 12)}/${path}`);
      return found === undefined ? { found: false, reason: `has no file ${path} at commit ${locked.sha}` } : { found: true, ...found };
    },
  };
}

function readText(path: string, file: string): { file: string; text: string } | undefined {
  try {
    return { file, text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

const CANNOT = ' cannot be called: ';

/** Loads one file as a called workflow, with the chain of files calling it (outermost first). */
export type LoadCallee = (text: string, file: string, chain: readonly string[]) => LoadResult;

/** `chain` holds the repository paths of the files calling this one, outermost first, this one last. */
export function loadCallees(workflow: Workflow, chain: readonly string[], reader: WorkflowReader, load: LoadCallee, index: SourceIndex, sink: ProblemSink): Map<string, Workflow> {
  const callees = new Map<string, Workflow>();
  for (const job of workflow.jobs) {
    const call = job.uses;
    if (call === undefined) continue;
    const at = keyPath(keyPath('jobs', job.id), 'uses');
    const report = (code: string, message: string): void => sink.report(code, index.valuePos(at), at, `${at}: '${call.uses}' ${message}`);
    const key = chainKey(call);
    const loop = chain.findIndex((path) => path === key);
    if (loop >= 0) {
      report('reusable-workflow-loop', `calls itself: ${[...chain.slice(loop), key].join(' → ')}; a reusable workflow may not call a workflow that calls it (as on GitHub)`);
      continue;
    }
    if (chain.length >= MAX_WORKFLOW_LEVELS) {
      report('reusable-workflow-depth', `is level ${chain.length + 1} of ${[...chain, key].join(' → ')}: GitHub allows ${MAX_WORKFLOW_LEVELS} levels of workflows (a caller and nine levels of reusable workflows)`);
      continue;
    }
    if (call.remote === undefined && chain.at(-1)?.includes('@')) {
      report('unsupported-call', `is a workflow of the calling workflow's own repository, which is not available yet in a reusable workflow of another repository (${chain.at(-1)})`);
      continue;
    }
    const remote = call.remote === undefined ? undefined : (reader.remote?.(call.remote.repository, call.remote.ref, call.path) ?? { found: false, reason: 'cannot be read here' });
    if (remote !== undefined && !remote.found) {
      report('reusable-workflow-not-locked', remote.reason);
      continue;
    }
    const found = remote ?? reader.read(call.path);
    if (found === undefined) {
      report('reusable-workflow-missing', `is not a file of this repository (${call.path}, from the repository root)`);
      continue;
    }
    const loaded = load(found.text, found.file, [...chain, key]);
    const first = loaded.problems[0];
    if (first !== undefined) {
      // A loop or a chain too deep is named by its innermost problem, whose message holds the chain.
      const chained = first.code === 'reusable-workflow-loop' || first.code === 'reusable-workflow-depth';
      const shown = formatProblem(first);
      const innermost = chained && shown.includes(CANNOT) ? shown.slice(shown.lastIndexOf(CANNOT) + CANNOT.length) : shown;
      const more = loaded.problems.length > 1 ? ` (and ${loaded.problems.length - 1} more; run stepdeploy validate ${found.file})` : '';
      report(chained ? first.code : 'reusable-workflow-invalid', `${CANNOT.trim()} ${innermost}${more}`);
      continue;
    }
    if (loaded.workflow?.on.workflowCall === undefined) {
      report('not-reusable', `is not a reusable workflow: its on: has no workflow_call (GitHub calls only workflows that declare it)`);
      continue;
    }
    callees.set(job.id, loaded.workflow);
  }
  return callees;
}

/** How a call appears in a chain of files: its path in the repository, or `owner/repo/path@ref`. */
const chainKey = (call: ReusableCall): string => (call.remote === undefined ? call.path : `${call.remote.repository}/${call.path}@${call.remote.ref}`);
