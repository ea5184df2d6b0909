// `stepdeploy run` started as a user starts it, in a git repository, from a shell with variables of
// its own: each job cell runs on a runner whose fresh workspace is a copy of the working tree
// (tracked files and untracked ones that are not ignored) that its steps share; github.sha is HEAD
// and github.ref the current branch; only --env-passthrough variables of the shell reach a step.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../lib/report/report';
import { gitIn } from '../fixtures/git';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('stepdeploy run in a git repository: one runner per job cell, isolated from the calling shell', () => {
  let dir: string;
  let repo: string;
  let head: string;
  let report: RunReport;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-run-isolation-'));
    repo = join(dir, 'repo');
    const gates = join(dir, 'gates');
    await Promise.all([join(repo, '.github', 'workflows'), join(repo, 'app', 'dist'), join(repo, 'node_modules', 'left-pad'), gates].map((path) => mkdir(path, { recursive: true })));
    const git = gitIn(repo);
    git('init', '-q', '-b', 'main');
    await copyFile(join(root, 'test/fixtures/e2e-runner/workspace.yml'), join(repo, '.github', 'workflows', 'deploy.yml'));
    await writeFile(join(repo, '.gitignore'), 'node_modules/\ndist/\n');
    await writeFile(join(repo, 'app', 'src.txt'), 'tracked\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    head = git('rev-parse', 'HEAD');
    // Not committed: an untracked file (copied) and ignored ones (not copied).
    await writeFile(join(repo, 'notes.txt'), 'untracked\n');
    await writeFile(join(repo, 'node_modules', 'left-pad', 'index.js'), 'ignored\n');
    await writeFile(join(repo, 'app', 'dist', 'app.zip'), 'ignored: a build of the working copy\n');
    await run(
      process.execPath,
      [join(root, 'bin/stepdeploy.js'), 'run', '--env', `GATES=${gates}`, '--logs', join(dir, 'logs'), '--report', join(dir, 'report.json'), '--env-passthrough', 'STEPDEPLOY_TEST_PASSED'],
      { cwd: repo, env: { ...process.env, STEPDEPLOY_TEST_CALLER_SECRET: 'exported in the shell', STEPDEPLOY_TEST_PASSED: 'passed on purpose' } },
    );
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const cell = (name: string) => {
    const job = report.jobs.find((candidate) => candidate.id === 'build' && candidate.matrix?.cell === name)!;
    const [, write, read] = job.steps;
    return { job, write: write!.outputs!, read: read!.outputs! };
  };

  it('lets a step read what an earlier step of its cell wrote, in defaults.run.working-directory: files, $GITHUB_ENV, $GITHUB_PATH', () => {
    expect(report.status).toBe('succeeded');
    for (const name of ['one', 'two']) {
      const { read } = cell(name);
      expect({ zip: read.zip, stage: read.stage, tool: read.tool, dir: read.dir }).toEqual({ zip: name, stage: `prod-${name}`, tool: 'tool ran', dir: 'app' });
    }
  });

  it('starts each cell from a copy of the working tree: tracked and untracked files, not ignored ones, no .git, nothing of the other cell', () => {
    // Each cell read its workspace only after both cells had written theirs.
    expect(cell('one').read.files).toBe('./.github/workflows/deploy.yml ./.gitignore ./app/src.txt ./notes.txt ./only-one');
    expect(cell('two').read.files).toBe('./.github/workflows/deploy.yml ./.gitignore ./app/src.txt ./notes.txt ./only-two');
  });

  it('starts a job that neither checks out nor runs an action of the repository in an empty workspace, as GitHub does', () => {
    const bare = report.jobs.find((candidate) => candidate.id === 'bare')!;
    expect(bare.steps[0]?.outputs).toEqual({ entries: '0' });
  });

  it('runs the steps of a cell in one workspace on one build, and each cell in a fresh one', () => {
    const [one, two] = [cell('one'), cell('two')];
    expect(one.read.workspace).toBe(one.write.workspace);
    expect(one.read.build).toBe(one.write.build);
    expect(two.read.workspace).toBe(two.write.workspace);
    expect(two.read.workspace).not.toBe(one.read.workspace);
    expect(two.read.build).not.toBe(one.read.build);
    // Not the caller's directory, nor its home.
    expect(one.read.workspace).not.toBe(repo);
    expect(one.read.home).not.toBe(process.env.HOME);
  });

  it('says which commit it runs: github.sha is HEAD, github.ref the current branch', () => {
    for (const name of ['one', 'two']) expect({ sha: cell(name).read.sha, ref: cell(name).read.ref }).toEqual({ sha: head, ref: 'refs/heads/main' });
  });

  it('keeps the calling shell’s variables from the steps, except those passed with --env-passthrough', () => {
    for (const name of ['one', 'two']) expect({ caller: cell(name).read.caller, passed: cell(name).read.passed }).toEqual({ caller: 'not set', passed: 'passed on purpose' });
  });
});
