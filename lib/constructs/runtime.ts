import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { BuildSpec, ComputeType, LinuxArmBuildImage, Project, type CfnProject } from 'aws-cdk-lib/aws-codebuild';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RuntimeRefs } from '../asl/refs';
import { stateMachinePrefix } from './names';
import { grantRunner, runnerGrantsFromContext } from './runner-grants';
import { connectedRepositoryFromContext, RunnerSource } from './runner-source';
import { runtimeFunction } from './runtime-function';
import { GitHubWebhook } from './webhook';
import { actionsAsset, RUNNER_ACTIONS_DIR, type BundledAction } from './actions-asset';
import type { AssumedRole } from './assumed-roles';
import { runnerBundle, RUNNER_BUNDLE_FILE } from './runner-bundle';
import { RunnerVariables } from '../runner/identity';
import { DURATIONS_PREFIX } from '../runtime/durations/cell-durations';

/** Confines table access to items whose partition key starts with one of these prefixes. */
function runnerKeysOnly(prefixes: string[]): Record<string, unknown> {
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } };
}

/**
 * What every workflow's state machine shares: the table of locks, queues and needs barriers, the
 * runtime functions, the CodeBuild project that runs `run` steps, and the rule that releases what an
 * ended execution still holds.
 */
export interface StepDeployRuntimeProps {
  /** The remote actions the workflows use (lib/constructs/actions-asset.ts): bundled for the runner. */
  readonly actions?: readonly BundledAction[];
  /** Roles configure-aws-credentials steps name literally (lib/constructs/assumed-roles.ts): the runner may assume these. */
  readonly assumedRoles?: readonly AssumedRole[];
}

export class StepDeployRuntime extends Construct {
  readonly table: Table;
  readonly evaluateFunction: NodejsFunction;
  readonly coordinatorFunction: NodejsFunction;
  readonly statusChangeFunction: NodejsFunction;
  /** Hands `run` steps to their cell's runner (lambdas/runner-dispatch). */
  readonly runnerDispatchFunction: NodejsFunction;
  readonly runner: Project;
  /** The role `run` steps execute with: grant it what your deployments need (or use cdk.json context, lib/constructs/runner-grants.ts). */
  readonly runnerRole: IRole;
  /** The runners' source: the connected repository (cdk.json context) and the bucket of working-tree snapshots. */
  readonly source: RunnerSource;

  constructor(scope: Construct, id: string, props: StepDeployRuntimeProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    // Only this stack's state machines: another stack of the app in the same account stays out of reach.
    const machinePrefix = stateMachinePrefix(stack.stackName);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
      // Ended markers (lib/runtime/coordination/ended.ts) carry an expiry: DynamoDB deletes them a day later.
      timeToLiveAttribute: 'ttl',
    });

    this.evaluateFunction = runtimeFunction(this, 'Evaluate', {
      handler: 'evaluate',
      description: 'stepdeploy: evaluates ${{ }} expressions for running workflows',
    });

    const tableEnv = { TABLE_NAME: this.table.tableName };
    this.coordinatorFunction = runtimeFunction(this, 'Coordinator', {
      handler: 'coordinator',
      description: 'stepdeploy: concurrency groups, queues, semaphores and the needs barrier',
      environment: tableEnv,
    });
    this.statusChangeFunction = runtimeFunction(this, 'StatusChange', {
      handler: 'status-change',
      description: 'stepdeploy: releases what an ended execution still holds',
      environment: tableEnv,
    });
    for (const fn of [this.coordinatorFunction, this.statusChangeFunction]) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
          resources: [this.table.tableArn],
        }),
      );
      // Task tokens carry no resource: SendTask* cannot be scoped further (acknowledged below).
      fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: ['*'] }));
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machinePrefix}*:*]`,
        reason: 'StopExecution (cancel-in-progress) and DescribeExecution (lease liveness) must reach any execution of this stack’s state machines; the stack’s name prefix scopes them to those.',
      });
      fn.addToRolePolicy(
        new PolicyStatement({
          // Stop: cancel-in-progress. Describe: is a holder whose lease ran out still running?
          actions: ['states:StopExecution', 'states:DescribeExecution'],
          resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machinePrefix}*:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
        }),
      );
    }

    new Rule(this, 'ExecutionEnded', {
      description: 'stepdeploy: an execution ended; release its locks and queue places',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ prefix: stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: machinePrefix, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) }],
        },
      },
      targets: [new LambdaFunction(this.statusChangeFunction, { retryAttempts: 8, maxEventAge: Duration.hours(2) })],
    });

    // A lease sweep every five minutes: a waiter behind a holder that vanished without its
    // status-change event is handed the slot even if no other run touches the group.
    new Rule(this, 'LeaseSweep', {
      description: 'stepdeploy: take back concurrency slots of executions that ended without a status-change event',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.statusChangeFunction, { retryAttempts: 2 })],
    });
    this.statusChangeFunction.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [this.table.tableArn] }));

    this.runnerDispatchFunction = runtimeFunction(this, 'RunnerDispatch', {
      handler: 'runner-dispatch',
      description: 'stepdeploy: hands run steps to the runner of their job cell',
      environment: tableEnv,
    });
    this.runnerDispatchFunction.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.table.tableArn], conditions: runnerKeysOnly(['runner#*']) }),
    );

    const runnerLogs = new LogGroup(this, 'RunnerLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const runnerKey = new Key(this, 'RunnerKey', { enableKeyRotation: true, description: 'stepdeploy: encrypts run step artifacts and logs' });
    const bundle = runnerBundle(this, 'RunnerBundle');
    const repository = connectedRepositoryFromContext(this);
    const actions = props.actions !== undefined && props.actions.length > 0 ? actionsAsset(this, 'Actions', props.actions) : undefined;
    this.runner = new Project(this, 'Runner', {
      description: 'stepdeploy: the runner of a job cell (one build per cell runs all of its run steps)',
      // The runner program (lib/runner, bundled at synth); it takes the cell's steps from the table.
      buildSpec: BuildSpec.fromObject({
        version: '0.2',
        phases: {
          build: {
            commands: [
              `aws s3 cp --quiet "$STEPDEPLOY_RUNNER_BUNDLE" "/tmp/${RUNNER_BUNDLE_FILE}"`,
              // The workflows' remote actions, locked and bundled at synth: a run fetches nothing from GitHub.
              ...(actions === undefined ? [] : [`aws s3 cp --quiet "$STEPDEPLOY_RUNNER_ACTIONS" /tmp/stepdeploy-actions.zip && mkdir -p "${RUNNER_ACTIONS_DIR}" && unzip -q -o /tmp/stepdeploy-actions.zip -d "${RUNNER_ACTIONS_DIR}"`]),
              `node "/tmp/${RUNNER_BUNDLE_FILE}"`,
            ],
          },
        },
      }),
      environment: { buildImage: LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0, computeType: ComputeType.SMALL },
      environmentVariables: {
        STEPDEPLOY_RUNNER_TABLE: { value: this.table.tableName },
        STEPDEPLOY_RUNNER_BUNDLE: { value: bundle.s3ObjectUrl },
        // A checkout of a commit (or the default branch) needs this connected repository (lib/runner/checkout.ts).
        ...(repository !== undefined ? { [RunnerVariables.repository]: { value: repository.url } } : {}),
        ...(actions === undefined ? {} : { STEPDEPLOY_RUNNER_ACTIONS: { value: actions.s3ObjectUrl }, STEPDEPLOY_RUNNER_ACTIONS_DIR: { value: RUNNER_ACTIONS_DIR } }),
      },
      encryptionKey: runnerKey,
      timeout: Duration.hours(8),
      logging: { cloudWatch: { logGroup: runnerLogs } },
    });
    this.runnerRole = this.runner.role!;
    this.source = new RunnerSource(this, 'Source', { project: this.runner, ...(repository !== undefined ? { repository } : {}) });
    grantRunner(this.runnerRole, runnerGrantsFromContext(this));
    if (props.assumedRoles !== undefined && props.assumedRoles.length > 0) {
      const arns = props.assumedRoles.map((role) => ('arn' in role ? role.arn : stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: role.name })));
      this.runnerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: arns }));
    }
    // The bundle's one object (and the actions'), not the whole asset bucket.
    for (const asset of actions === undefined ? [bundle] : [bundle, actions]) {
      this.runnerRole.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [stack.formatArn({ service: 's3', region: '', account: '', resource: asset.s3BucketName, resourceName: asset.s3ObjectKey })] }),
      );
    }
    // The runner protocol: its work and stop items, its index item beside the execution's lock index.
    this.runnerRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: runnerKeysOnly(['runner#*', 'exec#*']),
      }),
    );
    // A matrix cell's duration, written as its runner exits (lib/runtime/durations): the next run's order.
    this.runnerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.table.tableArn], conditions: runnerKeysOnly([`${DURATIONS_PREFIX}*`]) }));
    this.runnerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], resources: ['*'] }));
    this.runnerRole.addToPrincipalPolicy(
      new PolicyStatement({
        // Is the runner's execution still running? (It exits when not.)
        actions: ['states:DescribeExecution'],
        resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machinePrefix}*:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    const runnerId = stack.getLogicalId(this.runner.node.defaultChild as CfnProject);
    const acknowledgements: [string, string][] = [
      [`Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/<${runnerId}>:*`, 'CodeBuild’s default log stream permission for its own project log group.'],
      [`Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/<${runnerId}>-*`, 'CodeBuild’s default report group permission, scoped to this project’s report groups.'],
      ['Action::kms:ReEncrypt*', 'Granted by Key.grantEncryptDecrypt on the runner’s own key only.'],
      ['Action::kms:GenerateDataKey*', 'Granted by Key.grantEncryptDecrypt on the runner’s own key only.'],
      ['Resource::*', 'SendTaskSuccess/Failure/Heartbeat: task tokens carry no resource, so these actions cannot be scoped.'],
      [`Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machinePrefix}*:*`, 'DescribeExecution of the runner’s own execution, whose name is only known at run time; the prefix scopes it to stepdeploy’s.'],
    ];
    for (const [id, reason] of acknowledgements) {
      Validations.of(this.runnerRole).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${id}]`, reason });
    }
  }

  private webhook?: GitHubWebhook;
  private approvals?: FunctionUrl;
  private cancelMarkerReadable = false;
  private durationsReadable = false;

  /**
   * A workflow runs jobs or steps on cancel (lib/asl/cancellable.ts): its job starts read the run's
   * cancel marker (`exec#<run>` / `cancel`), so the evaluate function gets the table and that read.
   */
  letEvaluateReadCancelMarkers(): void {
    if (this.cancelMarkerReadable) return;
    this.cancelMarkerReadable = true;
    this.evaluateFunction.addEnvironment('TABLE_NAME', this.table.tableName);
    this.evaluateFunction.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.table.tableArn], conditions: runnerKeysOnly(['exec#*']) }));
  }

  /**
   * A workflow orders a matrix job's cells by their recorded durations (lib/asl/cell-order.ts): the
   * evaluate function reads them (`dur#*`), so it gets the table and that read.
   */
  letEvaluateReadDurations(): void {
    if (this.durationsReadable) return;
    this.durationsReadable = true;
    this.evaluateFunction.addEnvironment('TABLE_NAME', this.table.tableName);
    this.evaluateFunction.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.table.tableArn], conditions: runnerKeysOnly([`${DURATIONS_PREFIX}*`]) }));
  }

  /**
   * The URL reviewers answer pending approvals at (lambdas/approval), made when the first workflow has
   * an environment with required reviewers. AWS_IAM auth: the caller's identity is checked against
   * the reviewers; grant reviewers `lambda:InvokeFunctionUrl` on this function, never
   * `states:SendTaskSuccess` (which answers any task token).
   */
  approvalUrl(): FunctionUrl {
    if (this.approvals !== undefined) return this.approvals;
    const stack = Stack.of(this);
    const machinePrefix = stateMachinePrefix(stack.stackName);
    const fn = runtimeFunction(this, 'Approval', {
      handler: 'approval',
      description: 'stepdeploy: answers pending deployment approvals for their required reviewers',
      environment: { TABLE_NAME: this.table.tableName },
    });
    // Reads pending approvals (their own partition prefix) and answers their tokens; writes nothing.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.table.tableArn], conditions: runnerKeysOnly(['approval#*']) }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        // Has the run ended? (Then its approvals were dropped, and the answer says so.)
        actions: ['states:DescribeExecution'],
        resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machinePrefix}*:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    const acknowledged: [string, string][] = [
      ['Resource::*', 'SendTaskSuccess: task tokens carry no resource, so it cannot be scoped; the function answers only tokens of pending approvals it read from the table.'],
      [`Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${machinePrefix}*:*`, 'DescribeExecution of the answered run, known only at run time; the prefix scopes it to this stack’s state machines.'],
    ];
    for (const [id, reason] of acknowledged) {
      Validations.of(fn.role!).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${id}]`, reason });
    }
    this.approvals = fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    new CfnOutput(this, 'ApprovalUrl', { value: this.approvals.url, description: 'Where stepdeploy approve / reject answer pending approvals (AWS_IAM auth: grant reviewers lambda:InvokeFunctionUrl)' });
    return this.approvals;
  }

  /** The GitHub webhook receiver and router, made when the first workflow has `on.push`. */
  githubWebhook(): GitHubWebhook {
    this.webhook ??= new GitHubWebhook(this, 'GitHubWebhook');
    return this.webhook;
  }

  /** The references a state machine definition needs. */
  get refs(): RuntimeRefs {
    return {
      evaluateFunctionArn: this.evaluateFunction.functionArn,
      coordinatorFunctionArn: this.coordinatorFunction.functionArn,
      runnerProjectName: this.runner.projectName,
      runnerDispatchFunctionArn: this.runnerDispatchFunction.functionArn,
      tableName: this.table.tableName,
    };
  }
}
