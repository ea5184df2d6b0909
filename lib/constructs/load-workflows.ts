import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RULES_FILE } from '../model/environments';
import { loadWorkflowFile } from '../model/load';
import type { Problem } from '../model/problem';
import type { Workflow } from '../model/workflow';
import { isCallOnly } from '../model/reusable/callable';

/**
 * The workflow files of a folder (`*.yml`, `*.yaml`, but not the protection rules in environments.yml),
 * sorted so that synthesis is deterministic.
 */
export async function workflowFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter(isWorkflowFileName).sort().map((name) => join(dir, name));
}

/** Loads every file; problems of all files are collected, never just the first. Reusable workflows alone are left out. */
export async function loadWorkflows(files: readonly string[]): Promise<{ workflows: Workflow[]; problems: Problem[] }> {
  const workflows: Workflow[] = [];
  const problems: Problem[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    const loaded = await loadWorkflowFile(file);
    problems.push(...loaded.problems);
    // A reusable workflow (only on: workflow_call) is checked, and deployed only inside its callers.
    if (loaded.workflow === undefined || isCallOnly(loaded.workflow)) continue;
    const other = ids.get(loaded.workflow.id);
    if (other !== undefined) {
      problems.push({
        code: 'duplicate-workflow-id',
        location: { file, line: 1, column: 1 },
        path: '',
        message: `workflow id '${loaded.workflow.id}' (from the file name) is also the id of ${other}: state machine names must be unique; rename one file`,
      });
      continue;
    }
    ids.set(loaded.workflow.id, file);
    workflows.push(loaded.workflow);
  }
  return { workflows, problems };
}

export const isWorkflowFileName = (name: string): boolean => /\.ya?ml$/.test(name) && name !== RULES_FILE;
