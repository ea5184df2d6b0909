// `uses: actions/checkout`: the folder it names holds the repository at the run's commit. The cell's
// workspace starts with that source (CodeBuild's source in AWS, the engine's copy locally), so a
// checkout of the whole workspace as the cell's first step has nothing to do; any other checkout
// (a later one, or into a folder) writes the copy the runner kept at its start (keepsSource).

import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

export class CheckoutError extends Error {
  override readonly name = 'CheckoutError';
}

/**
 * Why the workspace holds no source for this run, from the run's checkout (the start runner's
 * STEPDEPLOY_CHECKOUT) and the project's connected repository: a commit or the default branch comes
 * only from a connected repository; a snapshot (S3) and the local working tree always arrive.
 */
export function missingSource(checkoutVariable: string | undefined, repository: string | undefined): string | undefined {
  if (repository !== undefined && repository !== '') return undefined;
  const checkout = checkoutVariable === undefined ? undefined : (JSON.parse(checkoutVariable) as { kind?: unknown; version?: unknown });
  const connect = 'the runtime has no connected repository (cdk.json stepdeploy:connectionArn and stepdeploy:repository)';
  if (checkout?.kind === 'commit') return `this run is of ${String(checkout.version)}, but ${connect} to take it from`;
  if (checkout?.kind === 'default') return `this run names no commit and no snapshot, and ${connect} whose default branch it would take`;
  return undefined;
}

/**
 * Empties a workspace folder, keeping the folder itself: before a checkout writes it, and at start
 * for a job that does not read the repository (STEPDEPLOY_RUNNER_EMPTY_WORKSPACE): on GitHub such a
 * job starts in an empty folder; in AWS the build may have brought the project's default source,
 * which is not the run's commit, and a step must never run its files.
 */
export async function emptyWorkspace(workspace: string): Promise<void> {
  for (const entry of await readdir(workspace)) await rm(join(workspace, entry), { recursive: true, force: true });
}

export class CellSource {
  constructor(
    private readonly workspace: string,
    /** The workspace as the runner found it, when a checkout will need it. */
    private readonly copy: string | undefined,
    /** Why there is no source to check out (missingSource). */
    private readonly missing?: string,
  ) {}

  /** Keeps a copy of the workspace under `root` when `keep` (before any step changes it). */
  static async start(workspace: string, keep: boolean, root: string, missing?: string): Promise<CellSource> {
    if (missing !== undefined || !keep) return new CellSource(workspace, undefined, missing);
    const copy = join(root, 'source');
    await rm(copy, { recursive: true, force: true });
    await cp(workspace, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    return new CellSource(workspace, copy);
  }

  /**
   * Makes `path` ('' = the workspace) hold the source, emptying it first as actions/checkout does in a
   * folder that is not its repository. `first`: no other step of the cell has started yet.
   * Returns what it did, for the step's log.
   */
  async checkout(path: string, first: boolean): Promise<string> {
    const target = resolve(this.workspace, path);
    const inside = relative(this.workspace, target);
    if (inside.startsWith('..') || inside.split(sep).includes('..')) throw new CheckoutError(`path '${path}' is outside the workspace`);
    if (this.missing !== undefined) throw new CheckoutError(`nothing to check out: ${this.missing}`);
    if (path === '' && first) return 'the workspace holds the source of the run';
    if (this.copy === undefined) throw new CheckoutError('the runner kept no copy of the source (STEPDEPLOY_RUNNER_KEEP_SOURCE is not set): a wiring bug of the start runner state');
    if (path === '') {
      await emptyWorkspace(target);
    } else {
      await rm(target, { recursive: true, force: true });
      await mkdir(target, { recursive: true });
    }
    await cp(this.copy, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    return path === '' ? 'the workspace was emptied and holds the source of the run again' : `${path} holds the source of the run`;
  }
}
