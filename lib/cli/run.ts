// `stepdeploy run FILE`: one execution of a workflow on the embedded engine — the state machine
// `cdk deploy` would ship, run by aws-local-stepfunctions with dynalite, run steps as child processes.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { synthesizeLocalTemplate } from '../constructs/local-synth';
import { LocalEngine } from '../local/engine';
import { localGitInfo } from '../local/workspace-source';
import { validateInputs } from '../runtime/inputs';
import { buildReport } from '../report/build-report';
import { failedStepLogTails } from '../report/log-tail';
import { stepNamesOf } from '../report/step-names';
import { renderTimeline } from '../report/timeline';
import type { StateMachineDefinition } from '../asl/types';
import { commandWithUsage, inputArgs, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';
import { loadUserLambdas } from './user-lambdas';
import { createProgressView } from './progress';
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
  -h, --help           show this help
`;

export const run: Command = commandWithUsage(async (args, io) => {
  const { values, positionals } = parseCommandArgs('run', args, {
    input: { type: 'string', multiple: true },
    report: { type: 'string' },
    timeline: { type: 'string' },
    lambda: { type: 'string', multiple: true },
    logs: { type: 'string' },
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

  const synthesized = await synthesizeLocalTemplate([resolve(io.cwd, file)]);
  if (synthesized.template === undefined) {
    reportProblems(synthesized.problems, io);
    return 1;
  }
  const engine = await LocalEngine.start({
    templates: [synthesized.template],
    logDir: resolve(io.cwd, values.logs ?? '.stepdeploy/logs'),
    sourceDir: io.cwd,
    userLambdas,
  });
  try {
    const machine = engine.stateMachines[0]!;
    const view = createProgressView(io);
    let executionArn: string | undefined;
    const early: [string, Parameters<typeof view.onEvent>[0]][] = [];
    engine.on('history', (arn, event) => {
      if (executionArn === undefined) early.push([arn, event]);
      else if (arn === executionArn) view.onEvent(event);
    });
    // github.sha/ref say HEAD and the branch; the cells' workspaces are copies of the working tree.
    const git = await localGitInfo(io.cwd);
    const source = { ...git, snapshot: 'working-tree' };
    executionArn = engine.startExecution(machine.arn, JSON.stringify({ inputs, event: { trigger: 'local' }, source })).executionArn!;
    for (const [arn, event] of early) if (arn === executionArn) view.onEvent(event);

    // Ctrl-C stops the execution for real: its run steps' process groups get SIGTERM, then SIGKILL.
    const interrupt = (): void => {
      io.stderr('\nstepdeploy run: stopping the execution (Ctrl-C)…\n');
      void engine.stopExecution(executionArn!, { error: 'Cancelled', cause: 'interrupted by the user (Ctrl-C)' });
    };
    process.once('SIGINT', interrupt);
    const ended = await engine.waitForExecution(executionArn);
    process.off('SIGINT', interrupt);

    const history = engine.getExecutionHistory(executionArn);
    const stepNames = stepNamesOf(JSON.parse(engine.describeStateMachine(machine.arn).definition!) as StateMachineDefinition);
    const report = buildReport({ workflow: workflow.name, executionArn, history, stepNames });
    view.finish(report, { logTail: failedStepLogTails(history, stepNames) });
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
