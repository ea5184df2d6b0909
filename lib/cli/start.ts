import { workflowSuffix } from '../constructs/names';
import { DescribeStateMachineCommand, ListStateMachinesCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { declaredInputsOf, START_RUN_STATE } from '../asl/declared-inputs';
import type { StateMachineDefinition } from '../asl/types';
import { validateInputs } from '../runtime/inputs';
import { startSource, StartSourceError } from './start-source';
import { commandWithUsage, inputArgs, parseCommandArgs, UsageError } from './args';
import type { CliIo, Command } from './io';
import { checkEndpoint, defaultSfnCommandDeps, executionLocation, sfnErrorMessage, type SfnCommandDeps } from './sfn-client';
import { loadForCli, reportProblems } from './validate';
import { watchExecution } from './watch';

export const startHelp = `Usage: stepdeploy start WORKFLOW [--input NAME=VALUE]... [--ref REF] [--name NAME] [--endpoint URL] [--wait]

Starts an execution of a deployed workflow. WORKFLOW is a workflow file, a workflow id, a state
machine name (STACK_WORKFLOW-ID) or a state machine ARN. The inputs are checked before anything
starts: against the file's on.workflow_dispatch.inputs, or against the inputs the deployed state
machine declares. Prints the execution ARN and where to follow it.

Options:
  --input NAME=VALUE  a workflow_dispatch input; repeat for more
  --ref REF           run this commit of the connected repository (a SHA, refs/…, or a branch name);
                      without it, a git working copy is uploaded as a snapshot (AWS) or copied by
                      the local engine (--endpoint), with github.sha = HEAD
  --name NAME         the execution name (1-80 letters, digits, '-' or '_'); a name can be used once
  --endpoint URL      a local Step Functions API (stepdeploy run) instead of AWS
  --wait              follow the execution until it ends; exit 0 only if it succeeded
  -h, --help          show this help
`;

const executionName = /^[A-Za-z0-9_-]{1,80}$/;

export function createStart(deps: SfnCommandDeps): Command {
  return commandWithUsage(async (args, io) => {
    const { values, positionals } = parseCommandArgs('start', args, {
      input: { type: 'string', multiple: true },
      name: { type: 'string' },
      endpoint: { type: 'string' },
      wait: { type: 'boolean' },
      ref: { type: 'string' },
    });
    if (values.help) {
      io.stdout(startHelp);
      return 0;
    }
    const [target, ...extra] = positionals;
    if (target === undefined) throw new UsageError('no workflow file or state machine given', 'start');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`, 'start');
    if (values.name !== undefined && !executionName.test(values.name)) {
      throw new UsageError(`--name '${values.name}' must be 1-80 letters, digits, '-' or '_'`, 'start');
    }
    const endpoint = checkEndpoint(values.endpoint, 'start');
    const given = inputArgs(values.input, 'start');

    const machine = await resolveTarget(target, given, io);
    if (typeof machine === 'number') return machine;

    const sfn = deps.sfnClient(endpoint);
    let executionArn: string;
    try {
      const found = machine.arn === undefined ? await findStateMachines(sfn, machine.name) : [{ name: machine.name, arn: machine.arn }];
      const where = endpoint ?? `region ${await sfn.config.region()}`;
      if (found.length === 0) {
        io.stderr(`stepdeploy start: no state machine for '${machine.name}' at ${where}; deploy the workflow first (cdk deploy)\n`);
        return 1;
      }
      if (found.length > 1) {
        const names = found.map((candidate) => candidate.name).join(', ');
        io.stderr(`stepdeploy start: '${machine.name}' is deployed by several stacks at ${where} (${names}); give the state machine name or ARN\n`);
        return 1;
      }
      const stateMachineArn = found[0]!.arn;
      const inputs = machine.checked ? machine.inputs : await checkDeclaredInputs(sfn, found[0]!, machine.inputs, io);
      if (typeof inputs === 'number') return inputs;
      const source = await startSource({
        ...(values.ref !== undefined && { ref: values.ref }),
        cwd: io.cwd,
        local: endpoint !== undefined,
        stateMachineArn,
        sfn,
        s3: () => deps.s3Client?.() ?? new S3Client({}),
        say: (line) => io.stdout(`${line}\n`),
      });
      const started = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          ...(values.name === undefined ? {} : { name: values.name }),
          input: JSON.stringify({ inputs, event: { trigger: 'api' }, ...(source !== undefined && { source }) }),
        }),
      );
      executionArn = started.executionArn ?? '';
    } catch (error) {
      io.stderr(`stepdeploy start: ${error instanceof StartSourceError ? error.message : sfnErrorMessage(error)}\n`);
      return 1;
    }
    io.stdout(`started ${executionArn}\n  ${executionLocation(executionArn, endpoint)}\n`);
    return values.wait ? watchExecution(sfn, executionArn, io, deps.sleep, 'start') : 0;
  });
}

export const start: Command = createStart(defaultSfnCommandDeps);

interface StartTarget {
  /** The state machine ARN when the user gave one; otherwise it is looked up by `name`. */
  readonly arn?: string;
  /** A state machine name or a workflow id. */
  readonly name: string;
  readonly inputs: Readonly<Record<string, string | number | boolean>>;
  /** Whether `inputs` were checked against the workflow file already. */
  readonly checked: boolean;
}

/**
 * A workflow file is loaded and its inputs checked here, so mistakes stop before anything starts
 * (exit 2). For a name or ARN the deployed definition's declarations check them (checkDeclaredInputs).
 */
async function resolveTarget(target: string, given: Record<string, string>, io: CliIo): Promise<StartTarget | number> {
  if (target.startsWith('arn:')) return { arn: target, name: target.split(':').at(-1) ?? target, inputs: given, checked: false };
  if (!/\.ya?ml$/i.test(target)) return { name: target, inputs: given, checked: false };
  const { workflow, problems } = await loadForCli(target, io);
  if (workflow === undefined) {
    reportProblems(problems, io);
    return 2;
  }
  const { values, errors } = validateInputs(workflow.on.workflowDispatch?.inputs ?? [], given);
  if (errors.length > 0) {
    for (const error of errors) io.stderr(`stepdeploy start: ${error}\n`);
    return 2;
  }
  return { name: workflow.id, inputs: values, checked: true };
}

/**
 * The inputs checked against the declarations the deployed state machine carries (its first state's
 * payload), exactly as that state would check them: a mistake stops here (exit 2) with nothing started.
 */
async function checkDeclaredInputs(
  sfn: SFNClient,
  machine: { readonly name: string; readonly arn: string },
  given: Readonly<Record<string, string | number | boolean>>,
  io: CliIo,
): Promise<Record<string, string | number | boolean> | number> {
  const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine.arn }));
  let declared;
  try {
    declared = declaredInputsOf(JSON.parse(described.definition ?? '{}') as StateMachineDefinition);
  } catch {
    declared = undefined;
  }
  if (declared === undefined) {
    io.stderr(`stepdeploy start: state machine ${machine.name} is not a stepdeploy workflow (its definition has no '${START_RUN_STATE}' state declaring inputs)\n`);
    return 1;
  }
  const { values, errors } = validateInputs(declared, given);
  for (const error of errors) io.stderr(`stepdeploy start: ${error} (as declared by ${machine.name})\n`);
  return errors.length > 0 ? 2 : values;
}

/**
 * The state machine of that exact name, else those of the workflow with that id in any stack
 * (`stepdeploy start deploy` → StepDeploy_deploy): names are `<stack>_<workflow id>`.
 */
async function findStateMachines(sfn: SFNClient, name: string): Promise<{ name: string; arn: string }[]> {
  const byId: { name: string; arn: string }[] = [];
  const suffix = workflowSuffix(name);
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
    for (const machine of page.stateMachines ?? []) {
      if (machine.name === undefined || machine.stateMachineArn === undefined) continue;
      if (machine.name === name) return [{ name, arn: machine.stateMachineArn }];
      if (machine.name.endsWith(suffix)) byId.push({ name: machine.name, arn: machine.stateMachineArn });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return byId;
}
