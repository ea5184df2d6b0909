// `stepdeploy run FILE`: one execution of a workflow on the embedded engine — the state machine
// `cdk deploy` would ship, run by aws-local-stepfunctions with dynalite, run steps as child processes.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { executionArn as executionArnOf } from '../local/local-arns';
import { cellWorkspaceFrom, localGitInfo, workingTreeRoot } from '../local/workspace-source';
import { groupKey } from '../runtime/coordination/keys';
import { planWorkflow } from '../plan';
import type { Workflow } from '../model/workflow';
import { projectContext } from '../model/project-config';
import { validateInputs } from '../runtime/inputs';
import { buildReport } from '../report/build-report';
import { stepNamesOf } from '../report/step-names';
import { jobLabel } from '../asl/names';
import { callOnlyReason, isCallOnly } from '../model/reusable/callable';
import { renderTimeline } from '../report/timeline';
import type { StateMachineDefinition } from '../asl/types';
import { commandWithUsage, inputArgs, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';
import { localApprovals } from './local-approvals';
import { storeOptions, storeOptionsHelp, storeValues } from './store-values';
import { loadUserLambdas } from './user-lambdas';
import { followLogs } from './log-follow';
import { createProgressView, type UnitSeed } from './progress';
import { listJobs, selectJobs } from './job-selection';
import { EVENT_NAMES, triggerFor, type EventName } from './run-trigger';
import { lockForCli } from './actions';
import { loadForCli, reportProblems } from './validate';
import { passthroughVariables } from './env-passthrough';
import { runInterrupts } from './run-interrupt';
import { isCancellable } from '../asl/cancellable';
import { candidateWorkflowFiles, noWorkflowError } from './workflow-choice';
import type { Problem } from '../model/problem';

export const runHelp = `Usage: stepdeploy run [EVENT] [FILE] [-j JOB [--with-needs]] [-l] [-W DIR] [-e FILE] [--event-name NAME]
                      [--input NAME=VALUE]... [--env NAME=VALUE]... [--secret NAME[=VALUE]]... [--var NAME=VALUE]... [--report FILE] [--timeline FILE]
                      [--lambda NAME=MODULE]... [--logs DIR] [-v]

Runs one execution of a workflow locally, with no AWS account: the state machine 'cdk deploy'
would ship, on the embedded engine (DynamoDB in memory, one runner process per job cell with a
fresh workspace). Steps see what a CodeBuild runner would, not this shell's environment. Shows a
line per job and matrix cell as it goes; exits 0 when the run succeeds, 1 otherwise, 130 when
stopped with Ctrl-C.

Without FILE, the one workflow in -W DIR (default: .github/workflows, then workflows/), or the one
that has JOB. EVENT (as in 'act push -e event.json') is the same as --event-name EVENT.

Options:
  -j, --job JOB        run only this job (its needs count as succeeded, with no outputs)
  --with-needs         with -j: also run every job JOB needs, transitively
  -l, --list           list the jobs (stage, needs, workflow) and matrix cells; run nothing
  -W, --workflows DIR  where to look for workflows when no FILE is given
  -e, --event FILE     run as if GitHub sent this event payload (JSON); the workflow's 'on:' and
                       its filters decide whether it runs
  --event-name NAME    the event: workflow_dispatch, push (default with --event), schedule,
                       pull_request, pull_request_target, release or repository_dispatch (these
                       four need --event: GitHub's webhook payload)
  --input NAME=VALUE   a workflow_dispatch input (checked against on.workflow_dispatch.inputs)
  --env NAME=VALUE     set a workflow-level env variable (over the workflow's own env:)
${storeOptionsHelp}  --approve            approve every deployment that waits for a reviewer (environments.yml);
                       without it you are asked on a terminal, else told how to answer
  --report FILE        write the run report (JSON)
  --timeline FILE      write the timeline (one self-contained HTML file)
  --lambda NAME=MODULE run a 'uses: aws/lambda' function locally: MODULE exports handler(payload)
  --logs DIR           keep each run step's log here (default: .stepdeploy/logs)
  --env-passthrough NAME
                       pass this shell's variable NAME to the runners (e.g. credentials for a real deploy)
  -v, --verbose        stream every step's output as '[job (cell) / step] line' on a terminal too
                       (off a terminal it always streams)
  -h, --help           show this help
`;

export const run: Command = commandWithUsage(async (args, io) => {
  const { values, positionals } = parseCommandArgs('run', args, {
    input: { type: 'string', multiple: true },
    env: { type: 'string', multiple: true },
    report: { type: 'string' },
    timeline: { type: 'string' },
    lambda: { type: 'string', multiple: true },
    logs: { type: 'string' },
    'env-passthrough': { type: 'string', multiple: true },
    verbose: { type: 'boolean', short: 'v' },
    job: { type: 'string', short: 'j' },
    'with-needs': { type: 'boolean' },
    approve: { type: 'boolean' },
    list: { type: 'boolean', short: 'l' },
    workflows: { type: 'string', short: 'W' },
    event: { type: 'string', short: 'e' },
    'event-name': { type: 'string', choices: EVENT_NAMES },
    ...storeOptions,
  });
  if (values.help) {
    io.stdout(runHelp);
    return 0;
  }
  if (values['with-needs'] && values.job === undefined) throw new UsageError('--with-needs goes with -j JOB', 'run');
  const envOverrides = envArgs(values.env ?? []);
  const { eventArg, rest } = eventPositional(positionals, io.cwd);
  if (eventArg !== undefined && values['event-name'] !== undefined && values['event-name'] !== eventArg) {
    throw new UsageError(`the event is '${eventArg}' or --event-name '${values['event-name']}', not both`, 'run');
  }
  const [named, ...extra] = rest;
  if (extra.length > 0) throw new UsageError(`one workflow file at a time, got also '${extra.join("', '")}'`, 'run');

  const chosen = await chooseWorkflows(named, values.workflows, values.job, values.list, io);
  if ('problems' in chosen) {
    reportProblems(chosen.problems, io);
    return 1;
  }
  if (values.list) {
    io.stdout(listJobs(chosen.workflows));
    return 0;
  }
  const [loaded] = chosen.workflows;
  const file = chosen.files[0]!;
  const select = (workflow: Workflow): Workflow => {
    const selected = values.job === undefined ? workflow : selectJobs(workflow, values.job, values['with-needs']);
    return Object.keys(envOverrides).length === 0 ? selected : { ...selected, env: { ...selected.env, ...envOverrides } };
  };
  const workflow = select(loaded!);

  const eventName: EventName = (values['event-name'] as EventName | undefined) ?? eventArg ?? (values.event === undefined ? 'workflow_dispatch' : 'push');
  const trigger = triggerFor(workflow, eventName, values.event === undefined ? undefined : await readEvent(io, values.event), values.event);
  if (!trigger.run) {
    io.stdout(`${trigger.reason}: nothing to run\n`);
    return 0;
  }
  let inputs = trigger.inputs;
  if (inputs === undefined) {
    const given = { ...trigger.dispatchInputs, ...inputArgs(values.input ?? [], 'run') };
    const checked = validateInputs(workflow.on.workflowDispatch?.inputs ?? [], given);
    if (checked.errors.length > 0) {
      for (const error of checked.errors) io.stderr(`stepdeploy run: ${error}\n`);
      return 2;
    }
    inputs = checked.values;
  } else if ((values.input ?? []).length > 0) {
    throw new UsageError(`--input is for workflow_dispatch runs; a '${eventName}' run gets the inputs' defaults`, 'run');
  }
  const userLambdas = await loadUserLambdas(values.lambda ?? [], io.cwd);
  const envPassthrough = passthroughVariables(values['env-passthrough'] ?? [], io.env);
  const stored = await storeValues(values, [workflow.id], io, 'run');

  // Loaded only now: `run --help` and a mistaken call need neither aws-cdk-lib nor the engine.
  // aws-cdk-lib only when the template of these workflows is not cached (lib/cli/local-template.ts).
  const [{ localTemplate }, { LocalEngine }, { dynamodbClient }, { loadGroup }, { requestCancel }] = await Promise.all([
    import('./local-template'),
    import('../local/engine'),
    import('../local/dynalite-server'),
    import('../runtime/coordination/group-store'),
    import('../runtime/runners/cancel'),
  ]);
  // The cdk.json's stepdeploy context (a connected repository, …): the template cdk deploy would ship.
  const context = await projectContext(resolve(io.cwd, file));
  const synthesized = await localTemplate([resolve(io.cwd, file)], select, { env: io.env, context });
  if (synthesized.template === undefined) {
    reportProblems(synthesized.problems, io);
    return 1;
  }
  const logDir = resolve(io.cwd, values.logs ?? '.stepdeploy/logs');
  const engine = await LocalEngine.start({
    templates: [synthesized.template],
    logDir,
    // Each cell's workspace is a fresh copy of the working tree (tracked and untracked files that are not ignored).
    prepareWorkspace: cellWorkspaceFrom(await workingTreeRoot(io.cwd), [logDir]),
    envPassthrough,
    userLambdas,
    secretValues: stored.secrets,
    parameterValues: stored.parameters,
  });
  try {
    const machine = engine.stateMachines[0]!;
    const definition = JSON.parse(engine.describeStateMachine(machine.arn).definition!) as StateMachineDefinition;
    const stepNames = stepNamesOf(definition);
    const executionName = randomUUID();
    const executionArn = executionArnOf(machine.name, executionName);
    const table = { name: engine.tableNames[0] ?? '', client: dynamodbClient(engine.endpoints.dynamodb) };
    const view = createProgressView(io, {
      verbose: values.verbose,
      units: planUnits(workflow),
      stepNames,
      executionArn,
      holders: async (group) => (await loadGroup(table, groupKey(group)))?.state.holders.map((holding) => holding.holder) ?? [],
    });
    // Step output as the runner writes it: `[job (cell) / step] line` off a terminal and with --verbose.
    const follower = followLogs(join(logDir, executionName), (file, line) => view.onLogLine(file, line));
    const approvals = localApprovals({
      io,
      autoApprove: values.approve,
      executionArn: () => executionArn,
      endpoint: engine.endpoints.stepFunctions,
      answer: (token, output) => engine.sendTaskSuccess(token, output),
    });
    engine.on('history', (arn, event) => {
      if (arn !== executionArn) return;
      approvals.onEvent(event);
      // A task's end may be a step's: its last lines come first.
      if (/^(Task(Succeeded|Failed|TimedOut)|Execution)/.test(event.type ?? '')) follower.flush();
      view.onEvent(event);
    });
    // github.sha/ref say HEAD and the branch; the cells' workspaces are copies of the working tree.
    const git = await localGitInfo(io.cwd);
    const source = { ...git, snapshot: 'working-tree' };
    engine.startExecution(machine.arn, JSON.stringify({ inputs, event: trigger.event, source }), executionName);

    // Ctrl-C cancels as GitHub does (always() and cancelled() jobs and steps still run); a second one stops the execution.
    const interrupts = runInterrupts({
      io,
      cancellable: isCancellable(workflow),
      requestCancel: (reason) => requestCancel(table, executionArn, Date.now(), reason),
      stop: (reason) => engine.stopExecution(executionArn, reason),
    });
    const interrupt = interrupts.onSignal;
    process.on('SIGINT', interrupt);
    const ended = await engine.waitForExecution(executionArn);
    process.off('SIGINT', interrupt);
    follower.stop();

    const history = engine.getExecutionHistory(executionArn);
    const report = buildReport({ workflow: workflow.name, executionArn, history, stepNames });
    view.finish(report);
    if (ended.status === 'FAILED' && ended.error !== 'JobsFailed') io.stderr(`stepdeploy run: ${ended.error}: ${ended.cause ?? ''}\n`);
    for (const [option, text] of [
      [values.report, () => `${JSON.stringify(report, null, 2)}\n`],
      [values.timeline, () => renderTimeline(report)],
    ] as const) {
      if (option === undefined) continue;
      const path = resolve(io.cwd, option);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text());
      io.stdout(`wrote ${option}\n`);
    }
    // 128 + SIGINT, as a shell reports a command ended by Ctrl-C.
    if (interrupts.interrupted()) return 130;
    return report.status === 'succeeded' ? 0 : 1;
  } finally {
    await engine.close();
  }
});

/** Every job and matrix cell the plan knows before the run starts: the view shows them queued. */
/** One unit per job cell, named as state names name the job (the view shows each by its report name); a call's result is no unit. */
function planUnits(workflow: Workflow): UnitSeed[] {
  return planWorkflow(workflow).jobs.flatMap((planned) => {
    if (planned.job.callResult !== undefined) return [];
    const job = jobLabel(planned.job.id);
    return planned.cells === undefined ? [{ job }] : planned.cells.map((matrix) => ({ job, matrix }));
  });
}

/** The workflow(s) meant: FILE, else the one of the folder (or, with -j, the one that has JOB; all with -l). */
async function chooseWorkflows(
  named: string | undefined,
  dir: string | undefined,
  job: string | undefined,
  list: boolean,
  io: CliIo,
): Promise<{ files: string[]; workflows: Workflow[] } | { problems: readonly Problem[] }> {
  let files: string[];
  let where = '';
  if (named !== undefined) {
    files = [named];
  } else {
    const found = await candidateWorkflowFiles(io.cwd, dir);
    if (found.files.length === 0) throw noWorkflowError(found.dir);
    files = found.files;
    where = found.dir;
  }
  const workflows: Workflow[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    // Remote actions not locked yet are resolved and locked now; locked ones fetched if the cache lacks them.
    if ((await lockForCli([resolve(io.cwd, file)], io, { update: false }, 'run')) !== 0) return { problems: [] };
    const loaded = await loadForCli(file, io);
    if (loaded.workflow) workflows.push(loaded.workflow);
    problems.push(...loaded.problems);
  }
  if (problems.length > 0) return { problems };
  // A reusable workflow alone cannot run: named, it is an error; found in a folder, it is not a choice.
  const runnable = workflows.filter((workflow) => !isCallOnly(workflow));
  if (named !== undefined && runnable.length === 0) throw new UsageError(callOnlyReason(named), 'run');
  if (named === undefined && runnable.length === 0) throw new UsageError(`every workflow in ${where} is a reusable workflow (only on: workflow_call): nothing can run alone`, 'run');
  return pickWorkflow(runnable, job, list, where);
}

function pickWorkflow(workflows: Workflow[], job: string | undefined, list: boolean, where: string): { files: string[]; workflows: Workflow[] } {
  const files = workflows.map((workflow) => workflow.file);
  if (list || workflows.length === 1) return { files, workflows };
  const withJob = job === undefined ? [] : workflows.filter((workflow) => workflow.jobs.some((candidate) => candidate.id === job));
  if (withJob.length === 1) return { files: [withJob[0]!.file], workflows: withJob };
  const which = job === undefined ? '' : withJob.length === 0 ? ` and none has a job '${job}'` : ` and ${withJob.length} have a job '${job}'`;
  throw new UsageError(`${files.length} workflows in ${where}${which}: name one (${files.join(', ')})`, 'run');
}

/** `run push [FILE]`, as act takes the event first: an event name is the event unless a file has that name. */
function eventPositional(positionals: readonly string[], cwd: string): { eventArg?: EventName; rest: readonly string[] } {
  const [first, ...rest] = positionals;
  if (first === undefined || !(EVENT_NAMES as readonly string[]).includes(first) || existsSync(resolve(cwd, first))) return { rest: positionals };
  return { eventArg: first as EventName, rest };
}

/** `--env NAME=VALUE` flags; a value is text, never an expression. */
function envArgs(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    const name = separator < 0 ? '' : entry.slice(0, separator);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--env '${entry}': expected NAME=VALUE with NAME like MY_VAR`, 'run');
    const value = entry.slice(separator + 1);
    if (value.includes('${{')) throw new UsageError(`--env '${entry}': the value is text, '\${{' is not allowed in it`, 'run');
    env[name] = value;
  }
  return env;
}

async function readEvent(io: CliIo, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`--event '${file}': cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'run');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--event '${file}': not JSON: ${(error as Error).message}`, 'run');
  }
}
