// What a composite action's steps use, as the lock needs it: the actions of the repository (`./path`,
// read from the workspace's root wherever the composite comes from, as on GitHub) and of other
// repositories (locked like a workflow's steps). Problems in the metadata are validate's to report;
// here an action that cannot be read uses nothing.

import { readLocalAction } from '../model/actions/resolver';

export type ActionUse =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'remote'; readonly action: string; readonly ref: string; readonly path: string };

/** The `uses:` steps of the composite action in `folder/path` (nothing when it is not a readable composite). */
export function compositeUses(folder: string, path: string): ActionUse[] {
  const lookup = readLocalAction(folder, path);
  const runs = lookup.found ? lookup.result.metadata?.runs : undefined;
  if (runs?.using !== 'composite') return [];
  return runs.steps.flatMap((step): ActionUse[] => {
    if (step.kind !== 'uses') return [];
    if (step.remote === undefined) return [{ kind: 'local', path: step.actionPath }];
    return [{ kind: 'remote', ...step.remote, path: step.actionPath }];
  });
}
