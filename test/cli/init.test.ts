// `stepdeploy init` on a new folder and on an existing CDK app: what it writes, that the workflow it
// writes validates and runs, and that it never overwrites.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCli } from './call-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-init-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stepdeploy init', () => {
  it('starts a new app whose workflow validates and runs locally; a second init keeps everything', async () => {
    const first = await callCli(dir, ['init', 'fresh']);
    expect(first).toEqual({
      code: 0,
      stdout: [
        'created  fresh/cdk.json',
        'created  fresh/bin/app.ts',
        'created  fresh/package.json',
        'created  fresh/workflows/deploy.yml',
        'created  fresh/README.md',
        'Next: npm install, then npx stepdeploy run',
        '',
      ].join('\n'),
      stderr: '',
    });
    const app = join(dir, 'fresh');
    expect(JSON.parse(await readFile(join(app, 'cdk.json'), 'utf8'))).toEqual({ app: 'npx tsx bin/app.ts', context: { 'stepdeploy:workflowsDir': 'workflows' } });
    expect(JSON.parse(await readFile(join(app, 'package.json'), 'utf8'))).toMatchObject({ name: 'fresh', type: 'module', dependencies: { stepdeploy: expect.any(String) } });
    expect(await readFile(join(app, 'bin/app.ts'), 'utf8')).toContain("from 'stepdeploy'");
    expect(await readFile(join(app, 'README.md'), 'utf8')).toMatch(/^# fresh\n\n<!-- stepdeploy:init -->\n## Deployments \(stepdeploy\)\n/);
    expect(await callCli(app, ['validate', 'workflows/deploy.yml'])).toEqual({ code: 0, stdout: 'workflows/deploy.yml: ok\n', stderr: '' });
    const ran = await callCli(app, ['run', '--logs', join(dir, 'logs')]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('[deploy (region=us-east-1) / Deploy to us-east-1] deploying dev to us-east-1');

    const again = await callCli(dir, ['init', 'fresh']);
    expect(again.stdout.split('\n').filter((line) => line.startsWith('kept'))).toHaveLength(5);
  });

  it('adds to an existing app: the cdk.json context (other keys kept), a workflow, a README section; no app code', async () => {
    const app = join(dir, 'existing');
    await mkdir(app);
    await writeFile(join(app, 'cdk.json'), JSON.stringify({ app: 'npx ts-node bin/infra.ts', context: { '@aws-cdk/core:newStyleStackSynthesis': true } }));
    await writeFile(join(app, 'README.md'), '# Infra\n\nOur stacks.');
    const { code, stdout } = await callCli(app, ['init', '--workflows', 'deploy/workflows']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'updated  cdk.json',
        'created  deploy/workflows/deploy.yml',
        'updated  README.md',
        'Next: add the stack to your app (see the README section), then npx stepdeploy run',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(await readFile(join(app, 'cdk.json'), 'utf8'))).toEqual({
      app: 'npx ts-node bin/infra.ts',
      context: { '@aws-cdk/core:newStyleStackSynthesis': true, 'stepdeploy:workflowsDir': 'deploy/workflows' },
    });
    const readme = await readFile(join(app, 'README.md'), 'utf8');
    expect(readme.startsWith('# Infra\n\nOur stacks.\n\n<!-- stepdeploy:init -->\n')).toBe(true);
    expect(readme).toContain("new StepDeployStack(app, 'StepDeploy', { workflows });");
    expect((await callCli(app, ['init', '--workflows', 'deploy/workflows'])).stdout).toMatch(/^kept {5}cdk\.json\nkept {5}deploy\/workflows\/deploy\.yml\nkept {5}README\.md\n/);
  });

  it('refuses a workflows folder outside the app and a cdk.json that is not JSON', async () => {
    expect((await callCli(dir, ['init', 'x', '--workflows', '../out'])).stderr).toBe(
      "stepdeploy init: --workflows '../out' must be a folder inside the app\nRun 'stepdeploy init --help' for usage.\n",
    );
    const broken = join(dir, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'cdk.json'), '{ app: ');
    const { code, stderr } = await callCli(broken, ['init']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^stepdeploy init: .*broken\/cdk\.json: not JSON \(.*\); fix it, then run init again\n/);
  });
});
