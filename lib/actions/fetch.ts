// Remote actions (`owner/repo[/path]@ref`): a ref resolved to its commit through GitHub's API (or a
// server at another base URL with the same paths), the commit's tarball downloaded, its sha256
// digest checked against the lock and its files extracted into the actions cache. Only `stepdeploy
// actions update`, `stepdeploy run` and synth fetch; validate and plan read the lock and the cache.

import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { actionCacheDir, DIGEST_FILE } from '../model/actions/lock';

export const DEFAULT_ACTIONS_BASE_URL = 'https://api.github.com';

export interface FetchSettings {
  /** GitHub's API, or a server with its `/repos/{owner}/{repo}/commits/{ref}` and `/tarball/{sha}` paths. */
  readonly baseUrl: string;
  /** For private actions: sent as `Authorization: Bearer`. */
  readonly token?: string;
  readonly cacheRoot: string;
}

export class ActionFetchError extends Error {
  override readonly name = 'ActionFetchError';
}

/** From the environment: STEPDEPLOY_ACTIONS_BASE_URL, and STEPDEPLOY_ACTIONS_TOKEN (else GITHUB_TOKEN). */
export function fetchSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, cacheRoot: string): FetchSettings {
  const token = env.STEPDEPLOY_ACTIONS_TOKEN || env.GITHUB_TOKEN;
  return { baseUrl: (env.STEPDEPLOY_ACTIONS_BASE_URL || DEFAULT_ACTIONS_BASE_URL).replace(/\/+$/, ''), cacheRoot, ...(token ? { token } : {}) };
}

function headers(settings: FetchSettings, accept: string): Record<string, string> {
  return { Accept: accept, 'User-Agent': 'stepdeploy', ...(settings.token ? { Authorization: `Bearer ${settings.token}` } : {}) };
}

/** The commit a ref names (a 40-digit SHA names itself). */
export async function resolveRef(settings: FetchSettings, action: string, ref: string): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(ref)) return ref;
  const url = `${settings.baseUrl}/repos/${action}/commits/${encodeURIComponent(ref)}`;
  const response = await request(url, headers(settings, 'application/vnd.github.sha'), `${action}@${ref}`);
  const sha = (await response.text()).trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new ActionFetchError(`${action}@${ref}: ${url} answered '${sha.slice(0, 80)}', not a commit SHA`);
  return sha;
}

/** The commit's tarball and its digest (`sha256:<hex>`). */
export async function downloadTarball(settings: FetchSettings, action: string, sha: string): Promise<{ bytes: Buffer; digest: string }> {
  const url = `${settings.baseUrl}/repos/${action}/tarball/${sha}`;
  const response = await request(url, headers(settings, 'application/vnd.github+json'), `${action}@${sha}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}

async function request(url: string, requestHeaders: Record<string, string>, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers: requestHeaders, redirect: 'follow' });
  } catch (error) {
    throw new ActionFetchError(`${what}: cannot reach ${new URL(url).origin} (${(error as Error).message})`);
  }
  if (!response.ok) {
    const hint = response.status === 404 || response.status === 401 ? ' (a private action needs STEPDEPLOY_ACTIONS_TOKEN or GITHUB_TOKEN)' : '';
    throw new ActionFetchError(`${what}: ${url} answered ${response.status} ${response.statusText}${hint}`);
  }
  return response;
}

/** Extracts the tarball (one top-level folder, as GitHub's) into the cache, replacing what was there. */
export async function extractIntoCache(cacheRoot: string, action: string, sha: string, bytes: Buffer, digest: string): Promise<string> {
  const target = actionCacheDir(cacheRoot, action, sha);
  const staging = `${target}.${randomUUID()}`;
  await mkdir(staging, { recursive: true });
  try {
    const archive = join(staging, '..', `${randomUUID()}.tar.gz`);
    await writeFile(archive, bytes);
    try {
      await untar(archive, staging);
    } finally {
      await rm(archive, { force: true });
    }
    await writeFile(join(staging, DIGEST_FILE), `${digest}\n`);
    await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return target;
}

function untar(archive: string, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // No shell: the paths are arguments. GNU tar refuses members that climb out with `..`.
    const child = spawn('tar', ['-xzf', archive, '-C', into, '--strip-components=1', '--no-same-owner'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', (error) => reject(new ActionFetchError(`cannot run tar to extract an action: ${error.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new ActionFetchError(`the action's tarball does not extract (tar: ${errors.trim().split('\n')[0]})`))));
  });
}
