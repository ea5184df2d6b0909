import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { noSettings, readRulesFor } from '../model/environments';
import { compileProblems } from '../asl/compile';
import { placeholderRefs } from '../asl/refs';
import { fileSystemWorkflows } from '../model/reusable/callees';
import { loadWorkflowText, projectLoadOptions } from '../model/load';
import { actionsCacheRoot } from '../model/actions/lock';
import { fileSystemResolver, repositoryRootOf } from '../model/actions/resolver';
import { planWorkflow } from '../plan';
import { formatProblem, type Problem } from '../model/problem';
import type { Workflow } from '../model/workflow';
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';

export const validateHelp = `Usage: stepdeploy validate FILE... [--format text|json]

Checks workflow files. Prints 'FILE: ok' for each valid file; otherwise one line per problem on
stderr, 'FILE:LINE:COL error CODE: message', and exits with 1. Warnings ('FILE:LINE:COL warning
CODE: message', on stderr) point at likely mistakes and do not change the exit code.

Options:
  --format text|json  json: every problem as a JSON array on stdout
                      (file, line, column, code, path, message)
  -h, --help          show this help
`;

export const validate: Command = commandWithUsage(async (args, io) => {
  const { values, positionals: files } = parseCommandArgs('validate', args, {
    format: { type: 'string', choices: ['text', 'json'], default: 'text' },
  });
  if (values.help) {
    io.stdout(validateHelp);
    return 0;
  }
  if (files.length === 0) throw new UsageError('no workflow file given', 'validate');

  const results: { file: string; problems: readonly Problem[]; warnings: readonly Problem[] }[] = [];
  for (const file of files) {
    const loaded = await loadForCli(file, io);
    results.push({ file, problems: loaded.problems, warnings: loaded.warnings ?? [] });
  }
  const problems = results.flatMap((result) => result.problems);
  reportProblems(results.flatMap((result) => result.warnings), io);

  if (values.format === 'json') {
    io.stdout(`${JSON.stringify(problems.map(problemJson), null, 2)}\n`);
  } else {
    for (const { file, problems: found } of results) {
      if (found.length === 0) io.stdout(`${file}: ok\n`);
    }
    reportProblems(problems, io);
  }
  return problems.length === 0 ? 0 : 1;
});

/**
 * Reads and loads a workflow file named on the command line, relative to the CLI's cwd (which tests
 * set, so loadWorkflowFile's process-relative path will not do). Problems name the file as the user
 * wrote it; an unreadable file is a problem worded as loadWorkflowFile words it, not a crash.
 */
export async function loadForCli(
  file: string,
  io: CliIo,
): Promise<{ workflow?: Workflow; problems: readonly Problem[]; warnings?: readonly Problem[] }> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    return { problems: [unreadable(file, error)] };
  }
  // The runner labels come from the cdk.json above the file, as `cdk deploy` will read them.
  const project = await projectLoadOptions(resolve(io.cwd, file));
  if ('problem' in project) return { problems: [project.problem] };
  const rules = await readRulesFor(file, io.cwd);
  // Actions are read from the repository of the file and the lock next to it (no network).
  const path = resolve(io.cwd, file);
  const actions = fileSystemResolver(repositoryRootOf(path), path, actionsCacheRoot(io.env));
  // Called workflows too: of the repository, or of another one as the lock and the cache have it.
  const workflows = fileSystemWorkflows(repositoryRootOf(path), path, actionsCacheRoot(io.env));
  const loaded = withLimits(loadWorkflowText(text, file, { ...project, settings: rules.settings ?? noSettings, actions, workflows }));
  return rules.problems.length === 0 ? loaded : { problems: [...rules.problems, ...loaded.problems], warnings: loaded.warnings ?? [] };
}

/**
 * A loaded workflow is also compiled, as `cdk synth` will compile it: a workflow over one of Step
 * Functions' limits (definition size, history, nesting, names) is a problem here, not at deploy.
 */
function withLimits<T extends { workflow?: Workflow; problems: readonly Problem[]; warnings?: readonly Problem[] }>(loaded: T): T | Omit<T, 'workflow'> {
  if (loaded.workflow === undefined) return loaded;
  const problems = compileProblems(planWorkflow(loaded.workflow), placeholderRefs);
  if (problems.length === 0) return loaded;
  const { workflow: _dropped, ...rest } = loaded;
  return { ...rest, problems };
}

/** The problem lines `validate` prints, on stderr. */
export function reportProblems(problems: readonly Problem[], io: CliIo): void {
  for (const problem of problems) io.stderr(`${formatProblem(problem)}\n`);
}

function problemJson(problem: Problem): Record<string, string | number> {
  const { file, line, column } = problem.location;
  return { file, line, column, code: problem.code, path: problem.path, message: problem.message };
}

function unreadable(file: string, error: unknown): Problem {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String(error);
  return { code: 'file-unreadable', location: { file, line: 1, column: 1 }, path: '', message: `cannot read workflow file '${file}': ${reason}` };
}
