// `uses: actions/checkout`: the folder it names holds the repository at the run's commit. The cell's
// workspace starts with that source (CodeBuild's source in AWS, the engine's copy locally), so a
// checkout of the whole workspace as the cell's first step has nothing to do; any other checkout
// (a later one, or into a folder) writes the copy the runner kept at its start (keepsSource).

import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

export class CheckoutError extends Error {
  override readonly name = 'CheckoutError';
}

export class CellSource {
  constructor(
    private readonly workspace: string,
    /** The workspace as the runner found it, when a checkout will need it. */
    private readonly copy: string | undefined,
  ) {}

  /** Keeps a copy of the workspace under `root` when `keep` (before any step changes it). */
  static async start(workspace: string, keep: boolean, root: string): Promise<CellSource> {
    if (!keep) return new CellSource(workspace, undefined);
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
    if (path === '' && first) return 'the workspace holds the source of the run';
    if (this.copy === undefined) throw new CheckoutError('the runner kept no copy of the source (STEPDEPLOY_RUNNER_KEEP_SOURCE is not set): a wiring bug of the start runner state');
    if (path === '') {
      for (const entry of await readdir(target)) await rm(join(target, entry), { recursive: true, force: true });
    } else {
      await rm(target, { recursive: true, force: true });
      await mkdir(target, { recursive: true });
    }
    await cp(this.copy, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    return path === '' ? 'the workspace was emptied and holds the source of the run again' : `${path} holds the source of the run`;
  }
}
