import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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

/**
 * What every workflow's state machine shares: the table of locks, queues and needs barriers, the
 * runtime functions, the CodeBuild project that runs `run` steps, and the rule that releases what an
 * ended execution still holds.
 */
export class StepDeployRuntime extends Construct {
  readonly table: Table;
  readonly evaluateFunction: NodejsFunction;
  readonly coordinatorFunction: NodejsFunction;
  readonly statusChangeFunction: NodejsFunction;
  readonly runner: Project;
  /** The role `run` steps execute with: grant it what your deployments need (or use cdk.json context, lib/constructs/runner-grants.ts). */
  readonly runnerRole: IRole;
  /** The runners' source: the connected repository (cdk.json context) and the bucket of working-tree snapshots. */
  readonly source: RunnerSource;

  constructor(scope: Construct, id: string) {
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

    const runnerLogs = new LogGroup(this, 'RunnerLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const runnerKey = new Key(this, 'RunnerKey', { enableKeyRotation: true, description: 'stepdeploy: encrypts run step artifacts and logs' });
    this.runner = new Project(this, 'Runner', {
      description: 'stepdeploy: runs the run steps of workflows (each start supplies its buildspec)',
      // Every start overrides this buildspec; a project without source needs one to exist.
      buildSpec: BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['echo "stepdeploy supplies the buildspec per step"; exit 1'] } } }),
      environment: { buildImage: LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0, computeType: ComputeType.SMALL },
      encryptionKey: runnerKey,
      timeout: Duration.hours(8),
      logging: { cloudWatch: { logGroup: runnerLogs } },
    });
    this.runnerRole = this.runner.role!;
    this.source = new RunnerSource(this, 'Source', { project: this.runner, repository: connectedRepositoryFromContext(this) });
    grantRunner(this.runnerRole, runnerGrantsFromContext(this));
    const runnerId = stack.getLogicalId(this.runner.node.defaultChild as CfnProject);
    const acknowledgements: [string, string][] = [
      [`Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/<${runnerId}>:*`, 'CodeBuild’s default log stream permission for its own project log group.'],
      [`Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/<${runnerId}>-*`, 'CodeBuild’s default report group permission, scoped to this project’s report groups.'],
      ['Action::kms:ReEncrypt*', 'Granted by Key.grantEncryptDecrypt on the runner’s own key only.'],
      ['Action::kms:GenerateDataKey*', 'Granted by Key.grantEncryptDecrypt on the runner’s own key only.'],
    ];
    for (const [id, reason] of acknowledgements) {
      Validations.of(this.runnerRole).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${id}]`, reason });
    }
  }

  private webhook?: GitHubWebhook;

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
    };
  }
}
