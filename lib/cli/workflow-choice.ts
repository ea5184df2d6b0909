// Which workflow file `stepdeploy run` means: the one named, else the workflows of `-W DIR`, else of
// `.github/workflows`, then `workflows/` (act looks in .github/workflows; stepdeploy's own apps keep
// theirs in workflows/).
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { workflowFiles } from '../constructs/load-workflows';
import { UsageError } from './args';

export const DEFAULT_WORKFLOW_DIRS = ['.github/workflows', 'workflows'] as const;

/** Workflow files as the user would write them (relative to the working directory). */
export async function candidateWorkflowFiles(cwd: string, dir: string | undefined): Promise<{ dir: string; files: string[] }> {
  const dirs = dir === undefined ? DEFAULT_WORKFLOW_DIRS : [dir];
  for (const candidate of dirs) {
    const path = resolve(cwd, candidate);
    const isDir = await stat(path).then((info) => info.isDirectory(), () => false);
    if (!isDir) {
      if (dir !== undefined) throw new UsageError(`-W '${dir}': no such folder`, 'run');
      continue;
    }
    const files = (await workflowFiles(path)).map((file) => relative(cwd, file));
    if (files.length > 0 || dir !== undefined) return { dir: candidate, files };
  }
  return { dir: dirs.join(' or '), files: [] };
}

export function noWorkflowError(dir: string): UsageError {
  return new UsageError(`a workflow file is required: none given and none found in ${dir}`, 'run');
}
