// `stepdeploy actions update [FILE...]`: resolves every remote action the workflows use to a commit,
// fetches its tarball into the actions cache and rewrites stepdeploy.lock.json next to them.

import { relative, resolve } from 'node:path';
import { ActionFetchError, fetchSettingsFromEnv } from '../actions/fetch';
import { lockWorkflowActions } from '../actions/lock-workflows';
import { actionsCacheRoot, LockFileError } from '../model/actions/lock';
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';
import { candidateWorkflowFiles, noWorkflowError } from './workflow-choice';

export const actionsHelp = `Usage: stepdeploy actions update [FILE...]

Resolves each remote action (owner/repo[/path]@ref) of the workflow files (default: every workflow
of the workflows folder) to a commit, fetches that commit's tarball into the actions cache and
writes stepdeploy.lock.json next to the files: action, ref, commit SHA and the tarball's sha256
digest. The same lock gives the same code until the next update; stepdeploy run and cdk synth
refuse a tarball whose digest is not the locked one.

Environment:
  STEPDEPLOY_ACTIONS_BASE_URL  where to fetch from (default https://api.github.com)
  STEPDEPLOY_ACTIONS_TOKEN     a token for private actions (else GITHUB_TOKEN)
  STEPDEPLOY_CACHE_DIR         the cache (actions under actions/; default ~/.cache/stepdeploy)

Options:
  -h, --help  show this help
`;

export const actions: Command = commandWithUsage(async (args, io) => {
  const { values, positionals } = parseCommandArgs('actions', args, {});
  if (values.help) {
    io.stdout(actionsHelp);
    return 0;
  }
  const [verb, ...named] = positionals;
  if (verb !== 'update') throw new UsageError(verb === undefined ? 'say what to do: actions update' : `unknown actions command '${verb}' (expected update)`, 'actions');
  let files = named.map((file) => resolve(io.cwd, file));
  if (files.length === 0) {
    const found = await candidateWorkflowFiles(io.cwd, undefined);
    if (found.files.length === 0) throw noWorkflowError(found.dir);
    files = found.files.map((file) => resolve(io.cwd, file));
  }
  return lockForCli(files, io, { update: true }, 'actions update');
});

/** Locks (and, with `update`, re-resolves) the files' remote actions; 1 and a message on a refused or unreachable one. */
export async function lockForCli(files: readonly string[], io: CliIo, options: { readonly update: boolean }, command: string): Promise<number> {
  try {
    const result = await lockWorkflowActions(files, fetchSettingsFromEnv(io.env, actionsCacheRoot(io.env)), options);
    for (const note of result.notes) io.stdout(`${note}\n`);
    for (const file of result.written) io.stdout(`wrote ${relative(io.cwd, file) || file}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ActionFetchError) && !(error instanceof LockFileError)) throw error;
    io.stderr(`stepdeploy ${command}: ${error.message}\n`);
    return 1;
  }
}
