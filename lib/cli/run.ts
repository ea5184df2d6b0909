// `stepdeploy run FILE`: one execution of a workflow on the embedded engine — the state machine
// `cdk deploy` would ship, run by aws-local-stepfunctions with dynalite, run steps as child processes.

import { mkdir, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { executionArn as executionArnOf } from '../local/local-arns';
import { groupKey } from '../runtime/coordination/keys';
import { planWorkflow } from '../plan';
import type { Workflow } from '../model/workflow';
import { validateInputs } from '../runtime/inputs';
import { buildReport } from '../report/build-report';
import { stepNamesOf } from '../report/step-names';
import { renderTimeline } from '../report/timeline';
import type { StateMachineDefinition } from '../asl/types';
import { commandWithUsage, inputArgs, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';
import { loadUserLambdas } from './user-lambdas';
import { followLogs } from './log-follow';
import { createProgressView, type UnitSeed } from './progress';
import { loadForCli, reportProblems } from './validate';

export const runHelp = `Usage: stepdeploy run FILE [--input NAME=VALUE]... [--report FILE] [--timeline FILE] [--lambda NAME=MODULE]... [--logs DIR]

Runs one execution of a workflow locally, with no AWS account: the state machine 'cdk deploy'
would ship, on the embedded engine (DynamoDB in memory, run steps as child processes). Shows a
line per job and matrix cell as it goes; exits 0 when the run succeeds, 1 otherwise.

Options:
  --input NAME=VALUE   a workflow_dispatch input (checked against on.workflow_dispatch.inputs)
  --report FILE        write the run report (JSON)
  --timeline FILE      write the timeline (one self-contained HTML file)
  --lambda NAME=MODULE run a 'uses: aws/lambda' function locally: MODULE exports handler(payload)
  --logs DIR           keep each run step's log here (default: .stepdeploy/logs)
  -v, --verbose        stream every step's output as '[job (cell) / step] line' on a terminal too
                       (off a terminal it always streams)
  -h, --help           show this help
`;

export const run: Command = commandWithUsage(async (args, io) => {
  const { values, positionals } = parseCommandArgs('run', args, {
    input: { type: 'string', multiple: true },
    report: { type: 'string' },
    timeline: { type: 'string' },
    lambda: { type: 'string', multiple: true },
    logs: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    io.stdout(runHelp);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('a workflow file is required', 'run');
  if (extra.length > 0) throw new UsageError(`one workflow file at a time, got also '${extra.join("', '")}'`, 'run');

  const { workflow, problems } = await loadForCli(file, io);
  if (workflow === undefined) {
    reportProblems(problems, io);
    return 1;
  }
  const { values: inputs, errors } = validateInputs(workflow.on.workflowDispatch?.inputs ?? [], inputArgs(values.input ?? [], 'run'));
  if (errors.length > 0) {
    for (const error of errors) io.stderr(`stepdeploy run: ${error}\n`);
    return 2;
  }
  const userLambdas = await loadUserLambdas(values.lambda ?? [], io.cwd);

  // Loaded only now: `run --help` and a mistaken call need neither aws-cdk-lib nor the engine.
  const [{ synthesizeLocalTemplate }, { LocalEngine }, { dynamodbClient }, { loadGroup }] = await Promise.all([
    import('../constructs/local-synth'),
    import('../local/engine'),
    import('../local/dynalite-server'),
    import('../runtime/coordination/group-store'),
  ]);
  const synthesized = await synthesizeLocalTemplate([resolve(io.cwd, file)]);
  if (synthesized.template === undefined) {
    reportProblems(synthesized.problems, io);
    return 1;
  }
  const logDir = resolve(io.cwd, values.logs ?? '.stepdeploy/logs');
  const engine = await LocalEngine.start({
    templates: [synthesized.template],
    logDir,
    sourceDir: io.cwd,
    userLambdas,
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
    engine.on('history', (arn, event) => {
      if (arn !== executionArn) return;
      // A task's end may be a step's: its last lines come first.
      if (/^(Task(Succeeded|Failed|TimedOut)|Execution)/.test(event.type ?? '')) follower.flush();
      view.onEvent(event);
    });
    engine.startExecution(machine.arn, JSON.stringify({ inputs, event: { trigger: 'local' } }), executionName);

    // Ctrl-C stops the execution for real: its run steps' process groups get SIGTERM, then SIGKILL.
    const interrupt = (): void => {
      io.stderr('\nstepdeploy run: stopping the execution (Ctrl-C)…\n');
      void engine.stopExecution(executionArn, { error: 'Cancelled', cause: 'interrupted by the user (Ctrl-C)' });
    };
    process.once('SIGINT', interrupt);
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
    return report.status === 'succeeded' ? 0 : 1;
  } finally {
    await engine.close();
  }
});

/** Every job and matrix cell the plan knows before the run starts: the view shows them queued. */
function planUnits(workflow: Workflow): UnitSeed[] {
  return planWorkflow(workflow).jobs.flatMap((planned) =>
    planned.cells === undefined ? [{ job: planned.job.id }] : planned.cells.map((matrix) => ({ job: planned.job.id, matrix })),
  );
}
