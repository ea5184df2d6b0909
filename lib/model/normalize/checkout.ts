// `uses: actions/checkout@<ref>` → the runner's checkout of the run's commit. Each input of
// actions/checkout is honoured or rejected with the reason (never silently ignored).

import type { SpecEntry, SpecNode } from '../../source/tree';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import { describe, readOpenMap, reportUnknownKey } from './read';

/** What the checkout step honours: the folder it fills. */
export interface CheckoutOptions {
  readonly path: string;
}

/** Values of `ref` / `repository` that name the run's own commit / repository. */
const runCommitRefs = ['${{ github.sha }}', '${{ github.ref }}', '${{ github.ref_name }}'];
const runRepository = '${{ github.repository }}';

const noHistory = "the workspace holds the files of the run's commit without git history (a snapshot)";
const noCredentials = 'no GitHub token or SSH key is used: the source comes from the CodeConnections connection (AWS) or the local repository';

/** Inputs accepted only with the value(s) that mean what the runner does. */
const onlyValues: Readonly<Record<string, { readonly values: readonly (string | number | boolean)[]; readonly reason: string }>> = {
  'fetch-depth': { values: [1], reason: `${noHistory}; fetch-depth: 1 is the only value` },
  'fetch-tags': { values: [false], reason: `${noHistory}, so no tags` },
  submodules: { values: [false], reason: 'submodules are not checked out (the snapshot holds the superproject only); submodules: false is the only value' },
  lfs: { values: [false], reason: 'Git LFS files are not fetched; lfs: false is the only value' },
  // Both are true of a fresh runner: its workspace is new for every job cell, nothing to clean.
  clean: { values: [true, false], reason: '' },
  // No credentials are ever written to the workspace, whichever value.
  'persist-credentials': { values: [true, false], reason: '' },
  'show-progress': { values: [true, false], reason: '' },
  'set-safe-directory': { values: [true, false], reason: '' },
};

const rejected: Readonly<Record<string, string>> = {
  token: noCredentials,
  'ssh-key': noCredentials,
  'ssh-known-hosts': noCredentials,
  'ssh-strict': noCredentials,
  'ssh-user': noCredentials,
  'sparse-checkout': 'the whole tree of the commit is checked out',
  'sparse-checkout-cone-mode': 'the whole tree of the commit is checked out',
  filter: `${noHistory}; there is no partial clone to filter`,
  'github-server-url': 'the repository is the one the run started from',
};

const known = ['repository', 'ref', 'path', ...Object.keys(onlyValues), ...Object.keys(rejected)];

/** The `with:` of a checkout step; problems are reported, and undefined returned when any input is refused. */
export function normalizeCheckoutWith(withEntry: SpecEntry | undefined, path: string, sink: ProblemSink): CheckoutOptions | undefined {
  if (!withEntry) return { path: '' };
  const at = keyPath(path, 'with');
  const entries = readOpenMap(withEntry.value, at, sink);
  if (!entries) return undefined;
  let ok = true;
  let folder = '';
  const refuse = (entry: SpecEntry, reason: string): void => {
    ok = false;
    const value = entry.value.kind === 'scalar' && entry.value.value !== null ? ` ${describe(entry.value)}` : '';
    const where = keyPath(at, entry.key);
    sink.report('unsupported-checkout', entry.keyPos, where, `${where}:${value} is not supported: ${reason}`);
  };
  for (const entry of entries) {
    const value = scalarValue(entry.value);
    if (entry.key === 'repository') {
      if (value !== runRepository) refuse(entry, `the runner checks out the workflow's own repository; remove repository (or write ${runRepository})`);
    } else if (entry.key === 'ref') {
      if (typeof value !== 'string' || !runCommitRefs.includes(value.trim())) {
        refuse(entry, "the runner checks out the commit the run started from (the pushed SHA, `stepdeploy start --ref REF`, or the working tree); remove ref to check out that commit");
      }
    } else if (entry.key === 'path') {
      const checked = checkoutPath(value);
      if (typeof checked === 'string') folder = checked;
      else refuse(entry, checked.reason);
    } else if (entry.key in onlyValues) {
      const rule = onlyValues[entry.key]!;
      if (value === undefined || !rule.values.includes(value)) refuse(entry, rule.reason || `expected ${rule.values.join(' or ')}`);
    } else if (entry.key in rejected) {
      refuse(entry, `${rejected[entry.key]}; remove ${entry.key}`);
    } else {
      ok = false;
      reportUnknownKey(sink, entry, keyPath(at, entry.key), known);
    }
  }
  return ok ? { path: folder } : undefined;
}

/** A folder under the workspace: relative, no `..`, no expression. `./a/` → `a`. */
function checkoutPath(value: string | number | boolean | undefined): string | { reason: string } {
  if (typeof value !== 'string' || value.includes('${{')) return { reason: 'path must be a literal relative folder under the workspace' };
  const parts = value.split('/').filter((part) => part !== '' && part !== '.');
  if (value.startsWith('/') || parts.includes('..')) return { reason: 'path must stay under the workspace ($GITHUB_WORKSPACE): relative, without ..' };
  return parts.join('/');
}

function scalarValue(node: SpecNode): string | number | boolean | undefined {
  return node.kind === 'scalar' && node.value !== null ? node.value : undefined;
}
