// Off a terminal, `stepdeploy run` streams each step's output as `[job / step] line` while the step
// runs: the step below waits for a file that the test writes only once it has read the step's first
// line, so the run can only end if the line was streamed before the step ended.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/stepdeploy.js', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-stream-'));
  await writeFile(
    join(dir, 'stream.yml'),
    [
      'on: workflow_dispatch',
      'jobs:',
      '  deploy:',
      '    steps:',
      '      - name: wait',
      '        run: |',
      '          echo "waiting for the go"',
      '          for i in $(seq 600); do [ -e go ] && break; sleep 0.1; done',
      '          [ -e go ] && echo "got the go"',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('streams [job / step] lines before the step ends', async () => {
  const child = spawn(process.execPath, [bin, 'run', 'stream.yml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let released = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!released && stdout.includes('[deploy / wait] waiting for the go\n')) {
      released = true;
      void writeFile(join(dir, 'go'), '');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(released).toBe(true);
  expect(code).toBe(0);
  const lines = stdout.split('\n');
  const streamed = lines.indexOf('[deploy / wait] waiting for the go');
  const ended = lines.findIndex((line) => /^\[ *\d+\.\ds\] deploy succeeded in /.test(line));
  expect(streamed).toBeGreaterThan(lines.findIndex((line) => / deploy running$/.test(line)));
  expect(lines.indexOf('[deploy / wait] got the go')).toBeGreaterThan(streamed);
  expect(ended).toBeGreaterThan(lines.indexOf('[deploy / wait] got the go'));
});
