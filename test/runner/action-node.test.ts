// Which Node.js runs an action: the major it asks for when the image has one, else the runner's own.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionNode, imageNodeHomes } from '../../lib/runner/action-node';

let root: string;
const runner = { path: '/opt/runner/node', version: '18.16.1', exact: false, major: 18 };
const homes = () => ({ nCache: join(root, 'n/versions/node'), namespacedBin: join(root, 'bin') });

async function binary(path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stepdeploy-action-node-'));
  for (const version of ['20.9.0', '20.10.0', '20.10.1', '22.1.0']) await binary(join(root, 'n/versions/node', version, 'bin/node'));
  await mkdir(join(root, 'n/versions/node/24.0.0/bin'), { recursive: true }); // a folder without its binary
  await binary(join(root, 'bin/node-24'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('actionNode', () => {
  it("keeps the runner's node when it is the wanted major", () => {
    expect(actionNode(18, homes(), runner)).toEqual({ path: '/opt/runner/node', version: '18.16.1', exact: true });
  });

  it("takes the newest of the wanted major from n's cache (numerically, not as text)", () => {
    expect(actionNode(20, homes(), runner)).toEqual({ path: join(root, 'n/versions/node/20.10.1/bin/node'), version: '20.10.1', exact: true });
  });

  it("takes AL2023's namespaced node-<major> when n's cache has none with a binary", () => {
    expect(actionNode(24, homes(), runner)).toEqual({ path: join(root, 'bin/node-24'), version: '24', exact: true });
  });

  it("falls back to the runner's node, not exact, when the image has no such major", () => {
    expect(actionNode(26, homes(), runner)).toEqual({ path: '/opt/runner/node', version: '18.16.1', exact: false });
    expect(actionNode(20, { nCache: join(root, 'nowhere'), namespacedBin: join(root, 'nowhere') }, runner).exact).toBe(false);
  });

  it("reads n's prefix from N_PREFIX, as n does", () => {
    expect(imageNodeHomes({ N_PREFIX: '/opt/n' }).nCache).toBe('/opt/n/n/versions/node');
    expect(imageNodeHomes({}).nCache).toBe('/usr/local/n/versions/node');
  });
});
