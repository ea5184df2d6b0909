import { ArnFormat, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import { SNAPSHOT_BUCKET_TAG } from './runner-source';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType, type CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { compileDeployable, type CompiledWorkflow } from '../asl/compile';
import type { RunnerSeams } from '../asl/runner-seams';
import { runnerSourceSeams } from '../asl/runner-source-seams';
import { TaskResources } from '../asl/types';
import { reachableEnvironments } from '../asl/environment-gate';
import { isCancellable } from '../asl/cancellable';
import { orderedJobs } from '../asl/cell-order';
import { APPROVAL_URL_TAG } from '../runtime/approvals/approvals';
import type { Workflow } from '../model/workflow';
import { contextValue } from './context-value';
import { contextText, HEARTBEAT_CONTEXT, heartbeatSeconds as heartbeatSecondsRule } from '../model/project-context';
import { SECRETS_PREFIX_CONTEXT, storeNames, VARS_PREFIX_CONTEXT, type StoreNames } from '../model/store-names';
import { planWorkflow } from '../plan';
import { grantStoreReads } from './store-grants';
import { stateMachineName } from './names';
import type { StepDeployRuntime } from './runtime';
import { addTriggers } from './triggers';

export interface DeploymentWorkflowProps {
  /** A validated workflow (lib/model/load.ts). */
  readonly workflow: Workflow;
  readonly runtime: StepDeployRuntime;
  /** What issue 9's other parts add to each cell's runner (source, runs-on environment, variables). */
  readonly runner?: RunnerSeams;
}

/** cdk.json context: a run step's HeartbeatSeconds (default 60): a dead runner fails its step within this. */
export { HEARTBEAT_CONTEXT } from '../model/project-context';

/** Whether some job can reach an environment with required reviewers (it then has an approval gate). */
function hasApprovals(workflow: Workflow): boolean {
  return workflow.jobs.some((job) => reachableEnvironments(job, workflow.environments).some(([, rules]) => rules.requiredReviewers.length > 0));
}

/** One workflow file as a Standard state machine, with a role that can do exactly what its states do. */
export class DeploymentWorkflow extends Construct {
  readonly workflow: Workflow;
  readonly stateMachine: StateMachine;
  readonly compiled: CompiledWorkflow;
  /** Where this workflow's secrets and vars live. */
  readonly names: StoreNames;

  constructor(scope: Construct, id: string, props: DeploymentWorkflowProps) {
    super(scope, id);
    const { workflow, runtime } = props;
    this.workflow = workflow;
    const stack = Stack.of(this);
    const heartbeatSeconds = contextValue(this, HEARTBEAT_CONTEXT, heartbeatSecondsRule);
    const overrides = {
      secrets: contextValue(this, SECRETS_PREFIX_CONTEXT, (value) => contextText(SECRETS_PREFIX_CONTEXT, value)),
      parameters: contextValue(this, VARS_PREFIX_CONTEXT, (value) => contextText(VARS_PREFIX_CONTEXT, value)),
    };
    this.names = storeNames(workflow.id, Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)));
    // A definition over one of Step Functions' limits fails the synth, with every problem located.
    this.compiled = compileDeployable(planWorkflow(workflow), runtime.refs, {
      names: this.names,
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
      // By default each runner gets the run's github context and checkout, and its source by the run's checkout.
      runner: props.runner ?? runnerSourceSeams({ connected: runtime.source.repository !== undefined }),
    });
    grantStoreReads(this, workflow, runtime, this.names);
    // Named after the top-level stack even from a nested one (StepDeployStack nests past a size).
    const name = stateMachineName(topLevelStack(stack).stackName, workflow.id);

    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(stack.toJsonString(this.compiled.definition)),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      comment: `stepdeploy: ${workflow.name}`,
    });
    (this.stateMachine.node.defaultChild as CfnStateMachine).addMetadata('stepdeploy:workflow', workflow.id);
    // `stepdeploy start` uploads working-tree snapshots here (lib/cli/start-source.ts).
    Tags.of(this.stateMachine).add(SNAPSHOT_BUCKET_TAG, runtime.source.bucket.bucketName);
    // `stepdeploy approve` / `reject` answer at the approval function's URL (lib/runtime/approvals/answer.ts).
    if (hasApprovals(workflow)) Tags.of(this.stateMachine).add(APPROVAL_URL_TAG, runtime.approvalUrl().url);
    if (isCancellable(workflow)) runtime.letEvaluateReadCancelMarkers();
    if (orderedJobs(this.compiled.definition).size > 0) runtime.letEvaluateReadDurations();
    Validations.of(this.stateMachine).acknowledge({
      id: 'CloudFormation-Validate::E1029',
      reason: '${STEPDEPLOY_EXPR_<n>} are bash variables inside run step buildspecs, not CloudFormation parameters.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'Only X-Ray tracing and CloudWatch Logs delivery actions use *: neither supports resource-level permissions.',
    });

    addTriggers(this, workflow, this.stateMachine, runtime, this.names);

    const role = this.stateMachine.role;
    const text = JSON.stringify(this.compiled.definition);
    const uses = (value: string): boolean => text.includes(value);
    const runtimeFunctions = [runtime.evaluateFunction, runtime.coordinatorFunction, runtime.runnerDispatchFunction].filter((fn) => uses(fn.functionArn));
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: runtimeFunctions.map((fn) => fn.functionArn) }));
    if (uses(TaskResources.codeBuildStartBuild)) {
      // Request-response: the state machine starts a cell's runner and never follows the build.
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['codebuild:StartBuild'], resources: [runtime.runner.projectArn] }));
    }
    if (uses(TaskResources.dynamodbPutItem)) {
      // `<job>: stop runner` writes the runner's stop item, and nothing else.
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [runtime.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['runner#*'] } },
        }),
      );
    }
    const userFunctions = lambdaStepFunctions(workflow);
    if (userFunctions.length > 0) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: userFunctions.map((fn) =>
            fn.startsWith('arn:') ? fn : stack.formatArn({ service: 'lambda', resource: 'function', resourceName: fn, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          ),
        }),
      );
    }
    if (this.compiled.distributed.length > 0) {
      // A Distributed Map starts its cells as child executions of this same state machine.
      const self = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${name}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [self] }));
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [`${executions}:*`] }));
    }
  }
}

/** Static function names or ARNs of `uses: aws/lambda` steps; an expression-valued one cannot be scoped. */
function lambdaStepFunctions(workflow: Workflow): string[] {
  const names = new Set<string>();
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (step.kind !== 'lambda') continue;
      if (step.function.includes('${{')) {
        throw new Error(
          `${workflow.file}: jobs.${job.id}.steps.${step.id}.with.function: '${step.function}' must be a literal function name or ARN, so that the state machine's role can be scoped to it`,
        );
      }
      names.add(step.function);
    }
  }
  return [...names].sort();
}

function topLevelStack(stack: Stack): Stack {
  return stack.nestedStackParent === undefined ? stack : topLevelStack(stack.nestedStackParent);
}
