import { planWorkflow } from '../plan';
import { validateInputs } from '../runtime/inputs';
import { commandWithUsage, inputArgs, parseCommandArgs, UsageError } from './args';
import type { Command } from './io';
import { buildPlanReport, planFormats, type PlanFormat, type ShownInput } from './plan-format';
import { loadForCli, reportProblems } from './validate';

export const planHelp = `Usage: stepdeploy plan FILE [--input NAME=VALUE ...] [--format text|mermaid|dot|json]

Shows how a workflow will run: the jobs in start order with their needs, each matrix job's cells
with its max-parallel and fail-fast, the steps that start together, the shape of the job graph
(series-parallel or general), and the critical path. Durations are indicative: every step is
assumed to take one minute.

Options:
  --input NAME=VALUE  a workflow_dispatch input (repeatable); checked like a real start, defaults applied
  --format FORMAT     text (default), mermaid (a flowchart for GitHub), dot (Graphviz) or json
  -h, --help          show this help
`;

export const plan: Command = commandWithUsage(async (args, io) => {
  const { values, positionals } = parseCommandArgs('plan', args, {
    input: { type: 'string', multiple: true },
    format: { type: 'string', choices: Object.keys(planFormats), default: 'text' },
  });
  if (values.help) {
    io.stdout(planHelp);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('no workflow file given', 'plan');
  if (extra.length > 0) throw new UsageError(`plan takes one workflow file, got ${positionals.length}`, 'plan');
  const given = inputArgs(values.input, 'plan');

  const { workflow, problems } = await loadForCli(file, io);
  if (workflow === undefined) {
    reportProblems(problems, io);
    return 1;
  }

  const declared = workflow.on.workflowDispatch?.inputs ?? [];
  const checked = validateInputs(declared, given);
  if (checked.errors.length > 0) {
    for (const error of checked.errors) io.stderr(`stepdeploy plan: ${error}\n`);
    return 2;
  }
  const inputs: ShownInput[] = declared.flatMap((input) => {
    const value = checked.values[input.id];
    if (value === undefined) return [];
    return [{ id: input.id, value, source: Object.hasOwn(given, input.id) ? 'given' : 'default' }];
  });

  const report = buildPlanReport(planWorkflow(workflow), inputs);
  io.stdout(planFormats[values.format as PlanFormat](report));
  return 0;
});
