import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, ListTagsForResourceCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io';
import { createStart } from '../../lib/cli/start';
import { refSource, startSource } from '../../lib/cli/start-source';
import { gitIn } from '../fixtures/git';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:StepDeploy_site';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:StepDeploy_site:run-1';

let repo: string;
let head: string;
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'stepdeploy-start-source-'));
  const git = gitIn(repo);
  git('init', '-q', '-b', 'release');
  git('remote', 'add', 'origin', 'https://github.com/acme/site.git');
  await mkdir(join(repo, 'workflows'));
  await writeFile(join(repo, 'workflows', 'site.yml'), 'on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - run: ./deploy.sh\n');
  await writeFile(join(repo, 'deploy.sh'), 'echo deploy\n');
  await writeFile(join(repo, '.gitignore'), 'secret.env\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  head = git('rev-parse', 'HEAD');
  await writeFile(join(repo, 'wip.txt'), 'not committed yet\n');
  await writeFile(join(repo, 'secret.env'), 'ignored\n');
});
afterAll(async () => rm(repo, { recursive: true, force: true }));

beforeEach(() => {
  sfn.reset();
  s3.reset();
  sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [{ name: 'StepDeploy_site', stateMachineArn: MACHINE, type: 'STANDARD', creationDate: new Date(0) }] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });
  sfn.on(ListTagsForResourceCommand, { resourceArn: MACHINE }).resolves({ tags: [{ key: 'stepdeploy:snapshot-bucket', value: 'stepdeploy-source-bucket' }] });
  s3.on(PutObjectCommand).resolves({ VersionId: 'v-42' });
});

const start = createStart({ sfnClient: () => new SFNClient({ region: 'eu-west-1' }), sleep: async () => {}, s3Client: () => new S3Client({ region: 'eu-west-1' }) });

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTTY: false, cwd: repo, env: {} };
  const code = await start(args, io);
  return { code, stdout, stderr };
}

const startInput = () => JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? 'null') as { source?: Record<string, string> };

describe('stepdeploy start: the source of the run', () => {
  it('from a git working copy uploads a snapshot of the working tree and names its version; github.sha is HEAD', async () => {
    const result = await run('workflows/site.yml');
    expect(result.code).toBe(0);
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put.Bucket).toBe('stepdeploy-source-bucket');
    expect(put.Key).toMatch(/^snapshots\/[0-9a-f]{64}\.zip$/);
    // The zip holds the working tree (wip.txt included), not the ignored file.
    await writeFile(join(repo, '.git', 'uploaded.zip'), put.Body as Uint8Array);
    const listed = execFileSync('unzip', ['-Z1', join(repo, '.git', 'uploaded.zip')], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(['.gitignore', 'deploy.sh', 'wip.txt', 'workflows/site.yml']);
    expect(result.stdout).toMatch(new RegExp(`^uploaded a snapshot of 4 files \\(\\d+ bytes\\) to s3://stepdeploy-source-bucket/${put.Key}\\nstarted `));
    expect(startInput().source).toEqual({
      repository: 'acme/site',
      actor: expect.any(String),
      sha: head,
      ref: 'refs/heads/release',
      snapshot: `s3://stepdeploy-source-bucket/${put.Key}#v-42`,
    });
  });

  it('--ref runs a commit of the connected repository and uploads nothing', async () => {
    expect((await run('workflows/site.yml', '--ref', 'main')).code).toBe(0);
    expect(startInput().source).toEqual({ repository: 'acme/site', actor: expect.any(String), ref: 'refs/heads/main' });
    expect(s3.calls()).toHaveLength(0);
  });

  it('against a local engine lets the engine copy its working tree, uploading nothing', async () => {
    const source = await startSource({ cwd: repo, local: true, stateMachineArn: MACHINE, sfn: new SFNClient({ region: 'eu-west-1' }), s3: () => new S3Client({}), say: () => {} });
    expect(source).toEqual({ repository: 'acme/site', actor: expect.any(String), sha: head, ref: 'refs/heads/release', snapshot: 'working-tree' });
    expect(s3.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('says why it cannot upload: a state machine without the snapshot bucket tag', async () => {
    sfn.on(ListTagsForResourceCommand, { resourceArn: MACHINE }).resolves({ tags: [] });
    expect(await run('workflows/site.yml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'stepdeploy start: the state machine has no stepdeploy:snapshot-bucket tag, so the working tree cannot be uploaded: deploy this version of stepdeploy (cdk deploy), or give --ref REF to run a commit of the connected repository\n',
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('reads --ref as a SHA, a full ref or a branch, and refuses what git would not', () => {
    expect(refSource('a1b2c3d')).toEqual({ sha: 'a1b2c3d' });
    expect(refSource('refs/tags/v1.2')).toEqual({ ref: 'refs/tags/v1.2' });
    expect(refSource('feature/x')).toEqual({ ref: 'refs/heads/feature/x' });
    expect(() => refSource('-rf')).toThrow("--ref '-rf' is not a commit SHA, a ref (refs/heads/…, refs/tags/…) or a branch name");
    expect(() => refSource('a..b')).toThrow("--ref 'a..b' is not a commit SHA");
  });
});
