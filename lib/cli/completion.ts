// `stepdeploy completion bash|zsh`: a shell completion script for the commands and their options.
// The options are read from each command's own --help, so the script never lists an option a
// command does not take (or misses one it does).
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';

export const completionHelp = `Usage: stepdeploy completion bash|zsh

Prints a completion script for the commands and their options.
  bash:  stepdeploy completion bash > ~/.local/share/bash-completion/completions/stepdeploy
  zsh:   stepdeploy completion zsh > "\${fpath[1]}/_stepdeploy"   (then: autoload -U compinit && compinit)
`;

export interface CompletableCommand {
  readonly load: () => Promise<Command>;
  readonly summary: string;
}

/** The options a command's help names (`--report`, `-j`), in the order it names them. */
export async function optionsOf(command: Command, io: CliIo): Promise<string[]> {
  let help = '';
  await command(['--help'], { ...io, stdout: (text) => void (help += text), stderr: () => undefined });
  const options = new Set<string>();
  // Option lines of the help: `  -j, --job JOB   what it does`, `  --input NAME=VALUE   …`.
  for (const line of help.split('\n')) {
    const lead = /^ {2}((?:--?[A-Za-z][\w-]*(?:,\s*|\s|$))+)/.exec(line)?.[1] ?? '';
    for (const match of lead.matchAll(/--?[A-Za-z][\w-]*/g)) options.add(match[0]);
  }
  return [...options];
}

export function createCompletion(commands: Readonly<Record<string, CompletableCommand>>): Command {
  return commandWithUsage(async (args, io) => {
    const { values, positionals } = parseCommandArgs('completion', args, {});
    if (values.help) {
      io.stdout(completionHelp);
      return 0;
    }
    const [shell, ...extra] = positionals;
    if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(shell === undefined ? 'which shell: bash or zsh?' : `'${shell}' is not a shell it knows: bash or zsh`, 'completion');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, 'completion');
    const options: Record<string, string[]> = {};
    for (const [name, entry] of Object.entries(commands)) options[name] = await optionsOf(await entry.load(), io);
    io.stdout(shell === 'bash' ? bashScript(commands, options) : zshScript(commands, options));
    return 0;
  });
}

/** Command names and option names are [a-z-]: nothing in them needs quoting beyond single quotes. */
function bashScript(commands: Readonly<Record<string, CompletableCommand>>, options: Readonly<Record<string, string[]>>): string {
  const cases = Object.keys(commands).map((name) => `    ${name}) opts='${options[name]!.join(' ')}' ;;`);
  return [
    '# bash completion for stepdeploy (stepdeploy completion bash)',
    '_stepdeploy() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} opts',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W '${Object.keys(commands).join(' ')} help --help --version' -- "$cur"))`,
    '    return',
    '  fi',
    '  case "${COMP_WORDS[1]}" in',
    ...cases,
    "    help) COMPREPLY=($(compgen -W '" + Object.keys(commands).join(' ') + "' -- \"$cur\")); return ;;",
    '    *) opts= ;;',
    '  esac',
    '  if [[ $cur == -* ]]; then',
    '    COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
    '  else',
    '    COMPREPLY=($(compgen -f -- "$cur"))',
    '  fi',
    '}',
    'complete -o filenames -F _stepdeploy stepdeploy',
    '',
  ].join('\n');
}

function zshScript(commands: Readonly<Record<string, CompletableCommand>>, options: Readonly<Record<string, string[]>>): string {
  const described = Object.entries(commands).map(([name, entry]) => `    '${name}:${entry.summary.replace(/'/g, "'\\''").replace(/:/g, '\\:')}'`);
  const cases = Object.keys(commands).map((name) => `    ${name}) opts=(${options[name]!.join(' ')}) ;;`);
  return [
    '#compdef stepdeploy',
    '# zsh completion for stepdeploy (stepdeploy completion zsh)',
    '_stepdeploy() {',
    '  local -a commands opts',
    '  commands=(',
    ...described,
    '  )',
    '  if (( CURRENT == 2 )); then',
    "    _describe 'command' commands",
    '    return',
    '  fi',
    '  case $words[2] in',
    ...cases,
    "    help) _describe 'command' commands; return ;;",
    '  esac',
    '  if [[ $PREFIX == -* ]]; then',
    '    compadd -- $opts',
    '  else',
    '    _files',
    '  fi',
    '}',
    'compdef _stepdeploy stepdeploy',
    '',
  ].join('\n');
}
