// What a workflow file needs locked, read from its text alone: the remote actions its steps use
// (not actions/checkout, not aws/lambda), the actions of the repository they use (followed by the
// locker, since a composite one uses actions too) and the reusable workflows its jobs call, of the
// repository (followed by the locker, since their steps use actions too) or of another one (locked
// like an action).

import { parseActionReference } from '../model/actions/reference';
import { lockKey } from '../model/actions/lock';
import { checkoutAction, lambdaAction } from '../model/keys';
import { localCallPattern, remoteCallPattern } from '../model/reusable/call-reference';
import { parseSpec } from '../source/parse';
import type { SpecNode } from '../source/tree';

export interface RemoteRef {
  /** `owner/repo`. */
  readonly action: string;
  readonly ref: string;
}

export interface WorkflowRefs {
  /** Remote actions, once per `owner/repo[/path]@ref` (the path is where a composite's metadata is). */
  readonly actions: readonly (RemoteRef & { readonly path: string })[];
  /** `./path` actions: folders in the repository. */
  readonly localActions: readonly string[];
  /** `./.github/workflows/x.yml` calls: paths in the repository. */
  readonly localCalls: readonly string[];
  /** `owner/repo/.github/workflows/x.yml@ref` calls. */
  readonly remoteCalls: readonly (RemoteRef & { readonly path: string })[];
}

export function workflowRefs(text: string): WorkflowRefs {
  const root = parseSpec(text).root;
  const actions = new Map<string, RemoteRef & { path: string }>();
  const localActions = new Set<string>();
  const localCalls = new Set<string>();
  const remoteCalls = new Map<string, RemoteRef & { path: string }>();
  const jobs = entry(root, 'jobs');
  for (const job of jobs?.kind === 'map' ? jobs.entries : []) {
    const called = entry(job.value, 'uses');
    if (called?.kind === 'scalar' && typeof called.value === 'string') {
      const local = localCallPattern.exec(called.value);
      const remote = remoteCallPattern.exec(called.value);
      if (local) localCalls.add(local[1]!);
      if (remote) remoteCalls.set(called.value, { action: `${remote[1]}/${remote[2]}`, ref: remote[4]!, path: remote[3]! });
    }
    const steps = entry(job.value, 'steps');
    for (const step of steps?.kind === 'seq' ? steps.items : []) {
      const uses = entry(step, 'uses');
      if (uses?.kind !== 'scalar' || typeof uses.value !== 'string' || uses.value === lambdaAction) continue;
      const reference = parseActionReference(uses.value);
      if ('problem' in reference || reference.kind === 'docker') continue;
      if (reference.kind === 'local') {
        localActions.add(reference.path);
        continue;
      }
      const action = `${reference.owner}/${reference.repo}`;
      if (action.toLowerCase() === checkoutAction) continue;
      actions.set(`${lockKey(reference.owner, reference.repo, reference.ref)}/${reference.path}`, { action, ref: reference.ref, path: reference.path });
    }
  }
  return { actions: [...actions.values()], localActions: [...localActions], localCalls: [...localCalls], remoteCalls: [...remoteCalls.values()] };
}

const entry = (node: SpecNode | undefined, key: string): SpecNode | undefined => (node?.kind === 'map' ? node.entries.find((item) => item.key === key)?.value : undefined);
