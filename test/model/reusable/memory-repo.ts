import { loadWorkflowText, type LoadResult } from '../../../lib/model/load';
import type { WorkflowReader } from '../../../lib/model/reusable/callees';

/** A repository in memory: `path in the repository` → text; other repositories' files as `owner/repo/path@ref` → text. */
export function memoryRepo(files: Readonly<Record<string, string>>, remote: Readonly<Record<string, string>> = {}): WorkflowReader {
  return {
    read: (path) => (files[path] === undefined ? undefined : { file: path, text: files[path]! }),
    remote: (repository, ref, path) => {
      const text = remote[`${repository}/${path}@${ref}`];
      return text === undefined ? { found: false, reason: 'is not in the test lock' } : { found: true, file: `${repository}@${ref}/${path}`, text };
    },
  };
}

/** Loads `.github/workflows/main.yml` of the repository. */
export function loadMain(files: Readonly<Record<string, string>>, remote: Readonly<Record<string, string>> = {}): LoadResult {
  const main = '.github/workflows/main.yml';
  return loadWorkflowText(files[main]!, main, { workflows: memoryRepo(files, remote), callChain: [main] });
}
