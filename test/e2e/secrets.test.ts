// Secrets, vars and environments as a user runs them: `stepdeploy run` with --secret-file and --var,
// on the real engine with real bash steps. Every artifact of the run is scanned for the secret.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { callCli } from '../cli/call-cli';
import type { RunReport } from '../../lib/report/report';

const PASSWORD = 's3cr3t-Pa55word-do-not-leak';
let dir: string;

const files: Record<string, string> = {
  'environments.yml': 'environments:\n  production:\n  staging:\n',
  'deploy.yml': `on: workflow_dispatch
jobs:
  deploy:
    environment: production
    steps:
      - id: ship
        env:
          DB_PASSWORD: \${{ secrets.DB_PASSWORD }}
        run: |
          echo "region \${{ vars.REGION }}"
          echo "connecting with \${{ secrets.DB_PASSWORD }}"
          test "$DB_PASSWORD" = '${PASSWORD}'
          echo "region=\${{ vars.REGION }}" >> "$STEPDEPLOY_OUTPUT"
`,
  'missing.yml': `on: workflow_dispatch
jobs:
  deploy:
    environment: staging
    steps:
      - run: echo "\${{ secrets.API_TOKEN }} \${{ vars.REGION }}"
`,
  'secrets.env': `# the database\nDB_PASSWORD="${PASSWORD}"\n`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-secrets-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
});

const run = (...argv: string[]) => callCli(dir, ['run', ...argv]);

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('secrets and vars', () => {
  it('gives the step its secret and vars, and no artifact of the run holds the secret', async () => {
    const { code, stdout, stderr } = await run('deploy.yml', '--secret-file', 'secrets.env', '--var', 'REGION=eu-west-1', '--report', 'out/report.json', '--timeline', 'out/timeline.html', '--logs', 'logs');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8')) as RunReport;
    expect(report.jobs[0]?.steps[0]?.outputs).toEqual({ region: 'eu-west-1' });
    const logs = await allFiles(join(dir, 'logs'));
    const log = (await Promise.all(logs.map((file) => readFile(file, 'utf8')))).join('\n');
    expect(log).toContain('connecting with ***');
    expect(log).toContain('region eu-west-1');
    for (const file of [...logs, join(dir, 'out/report.json'), join(dir, 'out/timeline.html')]) {
      expect(await readFile(file, 'utf8'), file).not.toContain(PASSWORD);
    }
    expect(stdout).not.toContain(PASSWORD);
  });

  it('fails the job naming a missing secret and var, never a value', async () => {
    const { code, stdout } = await run('missing.yml', '--var', 'production/REGION=us-east-1');
    expect(code).toBe(1);
    expect(stdout).toContain(
      'jobs.deploy: vars.REGION is not set: no parameter /stepdeploy/missing/env/staging/REGION or /stepdeploy/missing/REGION in SSM Parameter Store; secrets.API_TOKEN is not set: no secret stepdeploy/missing/env/staging/API_TOKEN or stepdeploy/missing/API_TOKEN in AWS Secrets Manager',
    );
  });
});
