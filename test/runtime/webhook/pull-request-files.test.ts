// The files of a pull request as the router reads them for path filters: GitHub's REST API, 100 per
// page, at most the first 300 ("Diffs are limited to 300 files"), a renamed file under both names.
// A real HTTP server plays GitHub's API.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestFiles } from '../../../lib/runtime/webhook/pull-request-files';

const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
const counts: Readonly<Record<string, number>> = { '1': 2, '2': 450, '3': 100 };
const server = createServer((request, response) => {
  requests.push({ url: request.url ?? '', headers: request.headers });
  const match = /^\/repos\/octo\/app\/pulls\/(\d+)\/files\?per_page=100&page=(\d+)$/.exec(request.url ?? '');
  const total = match === null ? undefined : counts[match[1]!];
  if (total === undefined) {
    response.writeHead(404).end('{"message":"Not Found"}');
    return;
  }
  const page = Number(match![2]);
  const files = Array.from({ length: Math.max(0, Math.min(100, total - (page - 1) * 100)) }, (_, index) => {
    const n = (page - 1) * 100 + index;
    return n === 1 ? { filename: 'src/new-name.ts', previous_filename: 'src/old-name.ts', status: 'renamed' } : { filename: `f/${String(n).padStart(3, '0')}`, status: 'modified' };
  });
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(files));
});
let apiUrl: string;
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve())).then(() => void (apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('pullRequestFiles', () => {
  it('lists the changed files, a renamed one under both names, with the token when there is one', async () => {
    expect(await pullRequestFiles('octo/app', 1, { apiUrl, token: 't0ken' })).toEqual({ files: ['f/000', 'src/new-name.ts', 'src/old-name.ts'] });
    expect(requests.at(-1)).toMatchObject({ url: '/repos/octo/app/pulls/1/files?per_page=100&page=1', headers: { authorization: 'Bearer t0ken', accept: 'application/vnd.github+json' } });
  });

  it('reads at most three pages and keeps the first 300 files, as GitHub filters', async () => {
    requests.length = 0;
    const result = await pullRequestFiles('octo/app', 2, { apiUrl });
    expect('files' in result && result.files).toHaveLength(300);
    expect(requests.map((request) => request.url.slice(-6))).toEqual(['page=1', 'page=2', 'page=3']);
    expect(requests[0]?.headers.authorization).toBeUndefined();
    // A full last page is not followed by one more request.
    requests.length = 0;
    await pullRequestFiles('octo/app', 3, { apiUrl });
    expect(requests).toHaveLength(2);
  });

  it('says why the files are unknown: GitHub refused, or the repository or number is not one', async () => {
    expect(await pullRequestFiles('octo/app', 404, { apiUrl })).toEqual({ unknown: 'GitHub answered 404 for the files of octo/app#404' });
    requests.length = 0;
    expect(await pullRequestFiles('octo/app/../../x', 1, { apiUrl })).toEqual({ unknown: 'not a pull request: octo/app/../../x#1' });
    expect(await pullRequestFiles('../..', 1, { apiUrl })).toEqual({ unknown: 'not a pull request: ../..#1' });
    expect(await pullRequestFiles('octo/app', 1.5, { apiUrl })).toEqual({ unknown: 'not a pull request: octo/app#1.5' });
    expect(requests).toEqual([]);
    const closed = await pullRequestFiles('octo/app', 1, { apiUrl: 'http://127.0.0.1:1' });
    expect('unknown' in closed && closed.unknown).toMatch(/^the files of octo\/app#1 could not be read: /);
  });
});
