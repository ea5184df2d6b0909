import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The Node.js that runs a JavaScript action's files. */
export interface ActionNode {
  readonly path: string;
  /** `20.10.0`, or just the major when only a namespaced binary says it. */
  readonly version: string;
  /** The action asked for this major (GitHub runs `node20` on Node.js 20, not on whatever is there). */
  readonly exact: boolean;
}

/**
 * Where a build image keeps Node.js versions beside the active one: CodeBuild's Ubuntu and Amazon
 * Linux images install them with `n` (its cache is `$N_PREFIX/n/versions/node/<version>`), AL2023
 * namespaces them as `/usr/bin/node-<major>`. The runner's own node is the image's default, often an
 * older major than an action's `runs.using` asks for.
 */
export interface NodeHomes {
  readonly nCache: string;
  readonly namespacedBin: string;
}

export function imageNodeHomes(env: NodeJS.ProcessEnv = process.env): NodeHomes {
  return { nCache: join(env.N_PREFIX ?? '/usr/local', 'n/versions/node'), namespacedBin: '/usr/bin' };
}

const own = (): ActionNode & { major: number } => ({
  path: process.execPath,
  version: process.versions.node,
  exact: false,
  major: Number(process.versions.node.split('.')[0]),
});

/** The runner's own node when it has the wanted major, else the newest installed one of that major, else the runner's own (`exact: false`). */
export function actionNode(wantedMajor: number, homes: NodeHomes = imageNodeHomes(), runner = own()): ActionNode {
  if (runner.major === wantedMajor) return { path: runner.path, version: runner.version, exact: true };
  const cached = newestOfMajor(homes.nCache, wantedMajor);
  if (cached !== undefined) return { path: join(homes.nCache, cached, 'bin', 'node'), version: cached, exact: true };
  const namespaced = join(homes.namespacedBin, `node-${wantedMajor}`);
  if (isFile(namespaced)) return { path: namespaced, version: String(wantedMajor), exact: true };
  return { path: runner.path, version: runner.version, exact: false };
}

function newestOfMajor(cache: string, major: number): string | undefined {
  let names: string[];
  try {
    names = readdirSync(cache);
  } catch {
    return undefined;
  }
  const versions = names
    .map((name) => ({ name, parts: /^(\d+)\.(\d+)\.(\d+)$/.exec(name)?.slice(1).map(Number) }))
    .filter((v): v is { name: string; parts: number[] } => v.parts !== undefined && v.parts[0] === major && isFile(join(cache, v.name, 'bin', 'node')))
    .sort((a, b) => b.parts[1]! - a.parts[1]! || b.parts[2]! - a.parts[2]!);
  return versions[0]?.name;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
