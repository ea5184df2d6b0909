// The completion scripts in the shells themselves: bash completes through the function it defines
// (COMP_WORDS in, COMPREPLY out); zsh loads its script and the completion system accepts it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCli } from './call-cli';

let dir: string;
let bashScript: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-completion-'));
  bashScript = (await callCli(dir, ['completion', 'bash'])).stdout;
  await writeFile(join(dir, 'stepdeploy.bash'), bashScript);
  await writeFile(join(dir, 'deploy.yml'), 'on: workflow_dispatch\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What bash offers for the words typed so far (the last one is being completed). */
function bashComplete(...words: string[]): string[] {
  const quoted = words.map((word) => `'${word}'`).join(' ');
  const script = `source stepdeploy.bash; COMP_WORDS=(stepdeploy ${quoted}); COMP_CWORD=${words.length}; _stepdeploy; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--noprofile', '--norc', '-c', script], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('stepdeploy completion', () => {
  it('bash: commands, then the options of the command from its help, then files', () => {
    expect(bashComplete('r')).toEqual(['run', 'reject', 'report']);
    expect(bashComplete('run', '--with')).toEqual(['--with-needs']);
    expect(bashComplete('run', '--ev')).toEqual(['--event', '--event-name']);
    expect(bashComplete('validate', '--')).toEqual(['--format', '--help']);
    expect(bashComplete('run', 'dep')).toEqual(['deploy.yml']);
  });

  it('zsh: the script defines the function and registers it', async () => {
    const { code, stdout } = await callCli(dir, ['completion', 'zsh']);
    expect(code).toBe(0);
    await writeFile(join(dir, '_stepdeploy'), stdout);
    const script = 'autoload -U compinit && compinit -u -D; source ./_stepdeploy; whence -w _stepdeploy; print -r -- $_comps[stepdeploy]';
    expect(execFileSync('zsh', ['-f', '-c', script], { cwd: dir, encoding: 'utf8' })).toBe('_stepdeploy: function\n_stepdeploy\n');
  });

  it('refuses a shell it does not know', async () => {
    expect(await callCli(dir, ['completion', 'fish'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "stepdeploy completion: 'fish' is not a shell it knows: bash or zsh\nRun 'stepdeploy completion --help' for usage.\n",
    });
  });
});
