// The package as a user gets it: `npm pack`, then the tarball installed into a fresh CDK TypeScript
// app (NodeNext, strict) whose files are written here, where `tsc`, `cdk synth`, `npx stepdeploy
// validate` and `npx stepdeploy run` must all work. The registry is reachable; the install prefers
// the local npm cache. One slow test, run in the background of the suite.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);

/** Runs a command; a failure names the command and carries its output. */
async function exec(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number; maxBuffer?: number }) {
  try {
    return await execFileAsync(command, args, { maxBuffer: 16 * 1024 * 1024, ...options });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}
const root = join(import.meta.dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const env = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

const appFiles = (tarball: string): Record<string, string> => ({
  'package.json': JSON.stringify(
    {
      name: 'deploy-app',
      private: true,
      type: 'module',
      dependencies: { stepdeploy: `file:${tarball}`, 'aws-cdk-lib': manifest.peerDependencies['aws-cdk-lib'], constructs: manifest.peerDependencies.constructs },
      devDependencies: { '@types/node': manifest.devDependencies['@types/node'] },
    },
    null,
    2,
  ),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, rootDir: '.', outDir: 'build', types: ['node'] },
    include: ['bin/**/*.ts'],
  }),
  'cdk.json': JSON.stringify({ app: 'node build/bin/app.js' }),
  'bin/app.ts': [
    "import { App } from 'aws-cdk-lib';",
    "import { formatProblem, loadWorkflows, StepDeployStack, workflowFiles, type Workflow } from 'stepdeploy';",
    '',
    'const app = new App();',
    "const { workflows, problems } = await loadWorkflows(await workflowFiles('workflows'));",
    "if (problems.length > 0) throw new Error(problems.map(formatProblem).join('\\n'));",
    'const shipped: readonly Workflow[] = workflows;',
    "new StepDeployStack(app, 'DeployApp', { workflows: shipped });",
    '',
  ].join('\n'),
  'workflows/deploy.yml': [
    'on: workflow_dispatch',
    'jobs:',
    '  build:',
    '    steps:',
    '      - run: echo built > artifact.txt',
    '      - parallel: true',
    "        run: 'true'",
    '  deploy:',
    '    needs: build',
    '    strategy:',
    '      matrix:',
    '        region: [eu-west-1, us-east-1]',
    '    steps:',
    '      - run: echo "deploying to ${{ matrix.region }}"',
    '',
  ].join('\n'),
});

let work: string | undefined;
afterAll(async () => {
  if (work !== undefined && process.env.STEPDEPLOY_KEEP_PACK_TEST !== '1') await rm(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('packs, installs into a fresh CDK app, and compiles, synthesizes, validates and runs there', async () => {
    work = await mkdtemp(join(tmpdir(), 'stepdeploy-pack-'));
    // npm pack runs `prepare`, which builds dist/.
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const paths = packed!.files.map((file) => file.path);
    for (const expected of ['LICENSE', 'package.json', 'dist/bin/stepdeploy.js', 'dist/lib/constructs/index.js', 'dist/lib/constructs/index.d.ts', 'dist/lib/constructs/index.js.map', 'dist/lambdas/evaluate/handler.js']) {
      expect(paths).toContain(expected);
    }
    expect(paths.filter((path) => path === 'package-lock.json' || path.startsWith('test/') || path.startsWith('lib/') || path.endsWith('.test.ts'))).toEqual([]);

    const app = join(work, 'app');
    for (const [name, text] of Object.entries(appFiles(join(work, packed!.filename)))) {
      await mkdir(join(app, name, '..'), { recursive: true });
      await writeFile(join(app, name), text);
    }
    await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, env, timeout: 300_000 });

    await exec(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: app, env });

    await exec(bin('cdk'), ['synth', '--quiet', '--output', 'cdk.out'], { cwd: app, env, timeout: 300_000 });
    const template = JSON.parse(await readFile(join(app, 'cdk.out', 'DeployApp.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    // The Lambda bundles hold the runtime only: nothing of the local engine.
    const bundles = (await readdir(join(app, 'cdk.out'))).filter((name) => name.startsWith('asset.'));
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    for (const bundle of bundles) {
      const code = await readFile(join(app, 'cdk.out', bundle, 'index.mjs'), 'utf8');
      expect(code).not.toMatch(/aws-local-stepfunctions|dynalite/);
    }

    const validated = await exec('npx', ['--no', 'stepdeploy', 'validate', 'workflows/deploy.yml'], { cwd: app, env });
    expect(validated.stdout).toBe('workflows/deploy.yml: ok\n');

    const ran = await exec('npx', ['--no', 'stepdeploy', 'run', 'workflows/deploy.yml', '--report', 'report.json'], { cwd: app, env, timeout: 600_000 });
    expect(ran.stdout).toMatch(/\nrun succeeded in [0-9.]+m?s: 3 succeeded\n/);
    const report = JSON.parse(await readFile(join(app, 'report.json'), 'utf8')) as { status: string; jobs: { id: string; status: string }[] };
    expect(report.status).toBe('succeeded');
    expect(report.jobs.map((job) => [job.id, job.status])).toEqual([
      ['build', 'succeeded'],
      ['deploy', 'succeeded'],
      ['deploy', 'succeeded'],
    ]);
  }, 600_000);
});
