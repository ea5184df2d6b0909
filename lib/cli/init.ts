// `stepdeploy init [DIR]`: makes a CDK app deploy workflows with stepdeploy, as `cdk init` starts an
// app. In a folder without cdk.json it writes a new app (package.json, cdk.json, bin/app.ts); in an
// existing app it adds the cdk.json context and leaves the app's code to its owner (the README
// section shows the two lines to add). Both get a first workflow and a README section. It never
// overwrites a file: what is there is kept (cdk.json gains only the keys it lacks).
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import type { Command } from './io';

export const initHelp = `Usage: stepdeploy init [DIR] [--workflows DIR]

Sets up a CDK app to deploy workflows with stepdeploy (DIR: default the current folder).
Without a cdk.json there, writes a new app: package.json, cdk.json and bin/app.ts. In an existing
app, adds the stepdeploy context to its cdk.json. Either way adds a first workflow and a section of
the README. Never overwrites a file; run it again and it changes nothing.

Options:
  --workflows DIR  the folder of workflow files, relative to the app (default: workflows)
  -h, --help       show this help
`;

const WORKFLOWS_KEY = 'stepdeploy:workflowsDir';
const README_MARKER = '<!-- stepdeploy:init -->';

const firstWorkflow = `# A first workflow: build once, then deploy to two regions at a time.
# Run it locally with \`npx stepdeploy run\`, deploy it with \`npx cdk deploy\`.
name: Deploy
on:
  workflow_dispatch:
    inputs:
      version:
        type: string
        default: dev
jobs:
  build:
    steps:
      - name: Build
        run: echo "building \${{ inputs.version }}"
  deploy:
    needs: build
    strategy:
      max-parallel: 2
      matrix:
        region: [eu-west-1, us-east-1]
    concurrency: deploy-\${{ matrix.region }}
    steps:
      - name: Deploy to \${{ matrix.region }}
        run: echo "deploying \${{ inputs.version }} to \${{ matrix.region }}"
`;

const appSource = `// The CDK app: one stepdeploy stack with a state machine per workflow file in the folder named by
// the cdk.json context 'stepdeploy:workflowsDir'.
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { formatProblem, loadWorkflows, StepDeployStack, workflowFiles } from 'stepdeploy';

const app = new App();
const dir = resolve(String(app.node.tryGetContext('${WORKFLOWS_KEY}') ?? 'workflows'));
const { workflows, problems } = await loadWorkflows(await workflowFiles(dir));
if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(\`\${formatProblem(problem)}\\n\`);
  process.exit(1);
}
new StepDeployStack(app, 'StepDeploy', {
  workflows,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
`;

function readmeSection(workflowsDir: string, existingApp: boolean): string {
  const wire = existingApp
    ? [
        '',
        'In the app, add the stack (or use `DeploymentWorkflow` and `StepDeployRuntime` in a stack of your own):',
        '',
        '```ts',
        "import { loadWorkflows, StepDeployStack, workflowFiles } from 'stepdeploy';",
        `const { workflows } = await loadWorkflows(await workflowFiles('${workflowsDir}'));`,
        "new StepDeployStack(app, 'StepDeploy', { workflows });",
        '```',
      ]
    : [];
  return [
    README_MARKER,
    '## Deployments (stepdeploy)',
    '',
    `Workflows in \`${workflowsDir}/\` (GitHub Actions syntax) become Step Functions state machines.`,
    ...wire,
    '',
    '```sh',
    'npx stepdeploy validate ' + `${workflowsDir}/*.yml        # every problem, with file:line:col`,
    'npx stepdeploy run -l                           # the jobs and matrix cells',
    'npx stepdeploy run                              # run it locally (no AWS account)',
    'npx cdk deploy                                  # one state machine per workflow',
    'npx stepdeploy start deploy --wait              # start it in AWS and follow it',
    '```',
    '',
  ].join('\n');
}

type Outcome = 'created' | 'updated' | 'kept';

export const init: Command = commandWithUsage(async (args, io) => {
  const { values, positionals } = parseCommandArgs('init', args, { workflows: { type: 'string', default: 'workflows' } });
  if (values.help) {
    io.stdout(initHelp);
    return 0;
  }
  const [target = '.', ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, 'init');
  const workflowsDir = values.workflows;
  if (workflowsDir.startsWith('/') || workflowsDir.split('/').includes('..')) {
    throw new UsageError(`--workflows '${workflowsDir}' must be a folder inside the app`, 'init');
  }
  const root = resolve(io.cwd, target);
  const shown = (file: string): string => relative(io.cwd, join(root, file)) || file;
  // An app init wrote before is not someone else's: run again, it lists its files as kept.
  const ownApp = (await readFile(join(root, 'bin/app.ts'), 'utf8').catch(() => '')).includes("from 'stepdeploy'");
  const existingApp = !ownApp && (await exists(join(root, 'cdk.json')));
  const results: [Outcome, string][] = [];

  if (existingApp) {
    results.push([await addContext(join(root, 'cdk.json'), workflowsDir), shown('cdk.json')]);
  } else {
    results.push([await writeNew(join(root, 'cdk.json'), `${JSON.stringify({ app: 'npx tsx bin/app.ts', context: { [WORKFLOWS_KEY]: workflowsDir } }, null, 2)}\n`), shown('cdk.json')]);
    results.push([await writeNew(join(root, 'bin/app.ts'), appSource), shown('bin/app.ts')]);
    results.push([await writeNew(join(root, 'package.json'), packageJson(basename(root))), shown('package.json')]);
  }
  results.push([await writeNew(join(root, workflowsDir, 'deploy.yml'), firstWorkflow), shown(join(workflowsDir, 'deploy.yml'))]);
  results.push([await addReadme(join(root, 'README.md'), readmeSection(workflowsDir, existingApp), basename(root)), shown('README.md')]);

  for (const [outcome, file] of results) io.stdout(`${outcome.padEnd(7)}  ${file}\n`);
  io.stdout(existingApp ? 'Next: add the stack to your app (see the README section), then npx stepdeploy run\n' : 'Next: npm install, then npx stepdeploy run\n');
  return 0;
});

function packageJson(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'deployments';
  return `${JSON.stringify(
    {
      name: safe,
      private: true,
      type: 'module',
      scripts: { synth: 'cdk synth', deploy: 'cdk deploy' },
      dependencies: { stepdeploy: '^0.1.0', 'aws-cdk-lib': '^2.276.0', constructs: '^10.8.1', tsx: '^4.23.15' },
      devDependencies: { 'aws-cdk': '^2.1148.1' },
    },
    null,
    2,
  )}\n`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function writeNew(path: string, text: string): Promise<Outcome> {
  if (await exists(path)) return 'kept';
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { flag: 'wx' });
  return 'created';
}

/** Adds the workflows folder to cdk.json's context, keeping every key it has (a value already set wins). */
async function addContext(path: string, workflowsDir: string): Promise<Outcome> {
  const text = await readFile(path, 'utf8');
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${path}: not JSON (${(error as Error).message}); fix it, then run init again`, 'init');
  }
  const context = (typeof config.context === 'object' && config.context !== null ? config.context : {}) as Record<string, unknown>;
  if (WORKFLOWS_KEY in context) return 'kept';
  await writeFile(path, `${JSON.stringify({ ...config, context: { ...context, [WORKFLOWS_KEY]: workflowsDir } }, null, 2)}\n`);
  return 'updated';
}

async function addReadme(path: string, section: string, title: string): Promise<Outcome> {
  if (!(await exists(path))) {
    await writeFile(path, `# ${title}\n\n${section}`, { flag: 'wx' });
    return 'created';
  }
  const text = await readFile(path, 'utf8');
  if (text.includes(README_MARKER)) return 'kept';
  await writeFile(path, `${text.endsWith('\n') ? text : `${text}\n`}\n${section}`);
  return 'updated';
}
