// The local engine: the synthesized template's state machines on aws-local-stepfunctions, the runtime
// table on dynalite, run steps as child processes, and a Step Functions API on loopback, so that a
// workflow runs on a laptop with the same ASL and the same runtime code as in AWS.

import './polyfills';
import './map-stops-at-failure';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  HistoryEvent,
  StartExecutionOutput,
  StateMachineListItem,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskResources, type JsonValue, type TaskState } from '../asl/types';
import type { HandlerDeps } from '../runtime/deps';
import { SfnApiError } from './api-errors';
import { MAX_TIMER_SECONDS, taskContainers, taskStatesByName, withLocalTaskTimeouts } from './definition';
import { createTables, dynamodbClient, localCredentials, startDynalite, type DynaliteServer } from './dynalite-server';
import { eventBridgeApi, LocalEventBridge } from './eventbridge/event-bus';
import { repositoryHandlerModules, type HandlerModuleResolver } from './handler-modules';
import { ExecutionHistory, type LibraryEvent } from './history';
import { executionParts, executionsNamedIn } from './lost-executions';
import { leadingKeys, recordSdkCalls, type AwsCallRecorder } from './aws-calls';
import { taskCalls } from './integration-calls';
import { PAYLOAD_LIMIT_BYTES, payloadLimitError, payloadLimitFailure, type PayloadLimitFailure } from './payload-limit';
import { executionArn as executionArnOf, lambdaFunctionName, LOCAL_ACCOUNT, LOCAL_REGION } from './local-arns';
import { LocalParameters, parameterStoreApi } from './parameters';
import { LocalSecrets, secretsManagerApi, webhookSecretArn } from './secrets';
import { startSfnApiServer, type SfnApiServer, type StepFunctionsBackend } from './sfn-api-server';
import { ProcessRegistry } from './process-registry';
import { LocalSchedules } from './schedules';
import { targetPayload } from './eventbridge/target-input';
import { matchesPattern, statusChangeEvent } from './status-change';
import { TaskError } from './task-error';
import { TaskTokens } from './task-tokens';
import { LocalRunners, type RunnerLaunch } from './runners';
import { codeBuildStartBuild } from './tasks/codebuild-start-build';
import { dynamodbItem } from './tasks/dynamodb-item';
import { definitionHash, fileValidationCache, type ValidationCache } from './validation-cache';
import { lambdaInvoke, lambdaInvokeWaitForToken, type LambdaFunction } from './tasks/lambda-invoke';
import { startExecutionSync } from './tasks/start-execution-sync';
import type { TaskContext } from './tasks/task-context';
import { mergeLocalTemplates, readLocalTemplate, type LocalFunction, type LocalFunctionUrl, type LocalStateMachine } from './template';

export interface LocalEngineOptions {
  /** Synthesized CloudFormation templates (JSON objects). */
  readonly templates: readonly object[];
  /** Persist DynamoDB data under this directory; in memory when absent. */
  readonly dataDir?: string;
  /** Port of the Step Functions API (0 or absent: any free port). */
  readonly port?: number;
  /** Port of DynamoDB (0 or absent: any free port). */
  readonly dynamodbPort?: number;
  readonly host?: '127.0.0.1';
  /** Loads the runtime handler lambdas/<name>/handler.ts; tests inject their own. */
  readonly handlerModules?: HandlerModuleResolver;
  /** Functions a workflow invokes with `uses: aws/lambda`, by name or ARN. */
  readonly userLambdas?: Readonly<Record<string, (payload: unknown) => Promise<unknown>>>;
  /** One log file per run step: `<logDir>/<execution name>/<state>.log`. Default: inside the work directory. */
  readonly logDir?: string;
  /** Every job cell's workspace (CODEBUILD_SRC_DIR), shared; default: a fresh directory per cell. Tests use it to see what steps wrote. */
  readonly sourceDir?: string;
  /** Fills each fresh workspace before its runner starts. */
  readonly prepareWorkspace?: (workspace: string, launch: RunnerLaunch) => Promise<void>;
  /** Variables of the caller that runners get on purpose (`--env-passthrough`); nothing else of the caller's environment reaches a step. */
  readonly envPassthrough?: Readonly<Record<string, string>>;
  /**
   * Runner processes kept started ahead of their job (lib/local/warm-runners.ts), so that a cell's
   * runner does not start node and load its bundle on the cell's critical path (default 2; 0: none).
   * They start once the engine's first runner, which never waits for them, is up.
   */
  readonly warmRunners?: number;
  /** Between SIGTERM and SIGKILL when a runner or a run step is stopped (default 5000 ms). */
  readonly stopGraceMs?: number;
  /** The value of the webhook receiver's secret (its WEBHOOK_SECRET_ARN); default: a random one. */
  readonly webhookSecret?: string;
  /** The workflows' secrets by their Secrets Manager name (`stepdeploy/<workflow>/<NAME>`, lib/model/store-names.ts). */
  readonly secretValues?: ReadonlyMap<string, string>;
  /** The workflows' vars by their Parameter Store name (`/stepdeploy/<workflow>/<NAME>`). */
  readonly parameterValues?: ReadonlyMap<string, string>;
  /** Definitions that passed validation before are not validated again (default: on disk, lib/local/validation-cache.ts). */
  readonly validationCache?: ValidationCache;
  /**
   * Gets every AWS API call the runtime handlers make and every call Step Functions would make for a
   * task, each with the role it runs with (lib/local/aws-calls.ts): what the IAM check evaluates.
   */
  readonly recordAwsCalls?: AwsCallRecorder;
  /**
   * A test option, never set by the CLI: each named Wait state pauses this many milliseconds instead of
   * its duration (aws-local-stepfunctions' waitTimeOverrides). The state is still entered and left in
   * the history with its input (e.g. `$.job.environment.waitSeconds`), so a test proves an
   * environment's wait timer runs, and in which order, without waiting minutes.
   */
  readonly waitOverrides?: Readonly<Record<string, number>>;
  /**
   * A test option: every scheduled rule with Lambda targets (the lease sweep, `rate(5 minutes)` in the
   * template) fires this often instead of at its rate.
   */
  readonly scheduleIntervalMs?: number;
  /**
   * With dataDir: the file where the engine writes down its runners (lib/local/process-registry.ts).
   * At start, the runners and step process groups a killed engine left there are killed first.
   */
  readonly processRegistryFile?: string;
}

export interface LocalStateMachineInfo {
  readonly name: string;
  readonly arn: string;
  /** The workflow id, or the logical id of a state machine stepdeploy did not make. */
  readonly id: string;
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface PreparedMachine {
  readonly local: LocalStateMachine;
  /** Built (and validated, ~100 ms each) on the first start: a run usually needs one machine of many. */
  runnable?: StateMachine;
  readonly tasks: ReadonlyMap<string, TaskState>;
  /** Task name → the Parallel and Map states it sits in. */
  readonly containers: ReadonlyMap<string, ReadonlySet<string>>;
  readonly creationDate: Date;
}

interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly machine: PreparedMachine;
  readonly input: string;
  readonly startDate: Date;
  status: Status;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: ExecutionHistory;
  /** Aborted when the execution ends: in-flight tasks stop and kill their processes. */
  readonly controller: AbortController;
  /** Running tasks, each with its state name and the controller that stops it alone. */
  readonly inFlight: Map<Promise<unknown>, { readonly stateName: string; readonly stop: AbortController }>;
  abortRun: () => void;
  /** Status final and every task wound down. */
  readonly finished: Promise<void>;
  markFinished: () => void;
  /** …and the status-change event delivered. */
  readonly settled: Promise<void>;
}

export interface LocalEngineEvents {
  /** An event of an execution's history, as it happens. */
  history: [executionArn: string, event: HistoryEvent];
  /** Something went wrong outside any execution (e.g. a status-change target threw). */
  warning: [message: string];
}

/** `$$.Task.Token` resolves to this placeholder; each task swaps it for a token of its own. */
const TOKEN_PLACEHOLDER = 'stepdeploy-local:task-token';

const executionNamePattern = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

function replaceToken(value: unknown, token: string): unknown {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((item) => replaceToken(item, token));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceToken(item, token)]));
  }
  return value;
}

/** The value of a simple `$.a.b` path; undefined for anything else. */
function simplePath(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_-]+)*$/.test(path)) return undefined;
  return path
    .split('.')
    .slice(1)
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), input);
}

/**
 * AWS's length constraint on StartExecution's input and SendTaskSuccess's output (UTF-8 bytes), with
 * the ValidationException AWS answers: a run that AWS would refuse is refused locally too.
 */
function checkLength(field: 'input' | 'output', value: string): void {
  const bytes = Buffer.byteLength(value);
  if (bytes <= PAYLOAD_LIMIT_BYTES) return;
  throw new SfnApiError(
    'ValidationException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${PAYLOAD_LIMIT_BYTES} (it has ${bytes} bytes)`,
  );
}

/** A matrix or a fan-out starts several cells at once; each waiting process holds ~50 MB. */
const DEFAULT_WARM_RUNNERS = 2;

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LocalEngine extends EventEmitter<LocalEngineEvents> implements StepFunctionsBackend {
  /** EventBridge (PutEvents) and Secrets Manager (GetSecretValue) share the Step Functions API's port. */
  readonly endpoints: { readonly stepFunctions: string; readonly dynamodb: string; readonly eventBridge: string; readonly secretsManager: string; readonly ssm: string };
  private readonly machines = new Map<string, PreparedMachine>();
  private readonly functions = new Map<string, LocalFunction>();
  private readonly handlers = new Map<string, Promise<LambdaFunction>>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new TaskTokens();
  private readonly eventBridge: LocalEventBridge;
  /** The template's scheduled rules on functions (the lease sweep), on timers (lib/local/schedules.ts). */
  readonly schedules: LocalSchedules;
  private readonly secrets: LocalSecrets;
  private runners!: LocalRunners;
  private putItemClient?: ReturnType<typeof dynamodbClient>;
  private readonly parameters: LocalParameters;
  private readonly validationCache: ValidationCache;
  /** Executions a persisted table still named at start, ended as ABORTED then (see lost-executions.ts). */
  lostExecutions: readonly string[] = [];
  /** Runner and step process groups a killed engine left running, killed at start (processRegistryFile). */
  killedProcessGroups: readonly number[] = [];
  private closed = false;

  private constructor(
    private readonly options: LocalEngineOptions,
    private readonly template: ReturnType<typeof mergeLocalTemplates>,
    private readonly dynalite: DynaliteServer,
    private api: SfnApiServer | undefined,
    private readonly workDir: string,
    private readonly ownsWorkDir: boolean,
  ) {
    super();
    this.validationCache = options.validationCache ?? fileValidationCache();
    this.endpoints = { stepFunctions: '', dynamodb: dynalite.endpoint, eventBridge: '', secretsManager: '', ssm: '' };
    const webhookSecret = webhookSecretArn(template.functions);
    const given = new Map(webhookSecret && options.webhookSecret !== undefined ? [[webhookSecret, options.webhookSecret]] : []);
    this.secrets = new LocalSecrets(template.secrets, given, options.secretValues);
    this.parameters = new LocalParameters(options.parameterValues);
    this.eventBridge = new LocalEventBridge(template.eventBuses, template.busRules, {
      invoke: async (functionArn, payload) => (await this.lambda(functionArn, 'EventBridge target'))(payload),
      warn: (message) => this.emit('warning', message),
    });
    this.schedules = new LocalSchedules(template.schedules, {
      invoke: async (functionArn, event, rule) => (await this.lambda(functionArn, `schedule ${rule}`))(event),
      warn: (message) => this.emit('warning', message),
      ...(options.scheduleIntervalMs !== undefined ? { intervalMs: options.scheduleIntervalMs } : {}),
    });
    for (const fn of template.functions) this.functions.set(fn.name, fn);
    for (const local of template.stateMachines) {
      this.machines.set(local.arn, {
        local,
        tasks: taskStatesByName(local.definition, local.name),
        containers: taskContainers(local.definition),
        creationDate: new Date(),
      });
    }
  }

  /** Reads the templates, starts DynamoDB (with their tables) and the Step Functions API. */
  static async start(options: LocalEngineOptions): Promise<LocalEngine> {
    const template = mergeLocalTemplates(options.templates.map(readLocalTemplate));
    // Before anything listens: a leftover runner of a killed engine must not reach the new table.
    const killedProcessGroups = options.processRegistryFile === undefined ? [] : await ProcessRegistry.killLeftovers(options.processRegistryFile);
    const host = options.host ?? '127.0.0.1';
    const dynalite = await startDynalite({ host, port: options.dynamodbPort ?? 0, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
    let engine: LocalEngine | undefined;
    try {
      await createTables(dynamodbClient(dynalite.endpoint), template.tables);
      const workDir = await mkdtemp(join(tmpdir(), 'stepdeploy-local-'));
      engine = new LocalEngine(options, template, dynalite, undefined, workDir, true);
      const services = [eventBridgeApi(engine.eventBridge), secretsManagerApi(engine.secrets), parameterStoreApi(engine.parameters)];
      // The template's AWS_IAM function URLs (the approval function's) on the same port; `dev` serves the public webhook receiver on one of its own.
      const functionUrls = (handler: string) => {
        const url = engine!.functionUrls.find((candidate) => candidate.handler === handler && candidate.authType === 'AWS_IAM');
        return url && { authType: 'AWS_IAM' as const, invoke: (event: unknown) => engine!.invokeFunction(url.functionName, event) };
      };
      engine.api = await startSfnApiServer(engine, { host, port: options.port ?? 0, services, functionUrls });
      const endpoint = engine.api.endpoint;
      Object.assign(engine.endpoints, { stepFunctions: endpoint, eventBridge: endpoint, secretsManager: endpoint, ssm: endpoint });
      engine.runners = new LocalRunners({
        workDir,
        logDir: options.logDir ?? join(workDir, 'logs'),
        endpoints: engine.endpoints,
        dynamodb: engine.dynamodbClient,
        ...(options.sourceDir ? { sourceDir: options.sourceDir } : {}),
        ...(options.prepareWorkspace ? { prepareWorkspace: options.prepareWorkspace } : {}),
        passthrough: options.envPassthrough ?? {},
        ...(options.recordAwsCalls !== undefined ? { recordAwsCalls: options.recordAwsCalls, hashKeys: engine.hashKeys() } : {}),
        graceMs: options.stopGraceMs ?? 5000,
        warmRunners: template.projects.length === 0 ? 0 : (options.warmRunners ?? DEFAULT_WARM_RUNNERS),
        ...(options.processRegistryFile !== undefined ? { registry: new ProcessRegistry(options.processRegistryFile) } : {}),
      });
      engine.killedProcessGroups = killedProcessGroups;
      if (options.dataDir) engine.lostExecutions = await engine.endLostExecutions();
      engine.schedules.start();
      return engine;
    } catch (error) {
      if (engine) await engine.close();
      else await dynalite.close();
      throw error;
    }
  }

  get stateMachines(): readonly LocalStateMachineInfo[] {
    return [...this.machines.values()].map(({ local }) => ({ name: local.name, arn: local.arn, id: local.id }));
  }

  /** The names of the template's DynamoDB tables (the runtime table of locks, queues and barriers). */
  get tableNames(): readonly string[] {
    return this.template.tables.map((table) => table.name);
  }

  /** The template's function URLs, with the runtime handler each one runs (`webhook` for GitHub's). */
  get functionUrls(): readonly (LocalFunctionUrl & { readonly handler?: string })[] {
    return this.template.functionUrls.map((url) => {
      const handler = this.functions.get(url.functionName)?.handler;
      return { ...url, ...(handler !== undefined ? { handler } : {}) };
    });
  }

  /** The webhook receiver's secret, as GetSecretValue serves it; undefined without a webhook. */
  get webhookSecret(): string | undefined {
    const arn = webhookSecretArn(this.template.functions);
    return arn === undefined ? undefined : this.secrets.valueOf(arn);
  }

  /** Runs a template function in-process, as its function URL or a rule would invoke it. */
  async invokeFunction(nameOrArn: string, event: unknown): Promise<unknown> {
    return (await this.lambda(nameOrArn, 'Function URL'))(event);
  }

  /** Resolves when every event put on a local bus has been delivered to its rules' targets. */
  eventsDelivered(): Promise<void> {
    return this.eventBridge.idle();
  }

  // ── Executions ────────────────────────────────────────────────────────────────────────────────

  startExecution(stateMachineArn: string, input = '{}', name?: string): StartExecutionOutput {
    if (this.closed) throw new SfnApiError('ServiceUnavailable', 'The local engine is closing');
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const executionName = name ?? randomUUID();
    if (!executionNamePattern.test(executionName)) throw new SfnApiError('InvalidName', `Invalid Name: '${executionName}'`);
    checkLength('input', input);
    let parsedInput: JsonValue;
    try {
      parsedInput = JSON.parse(input) as JsonValue;
    } catch {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input}'`);
    }
    this.runnable(machine);
    const arn = executionArnOf(machine.local.name, executionName);
    const existing = this.executions.get(arn);
    if (existing) {
      // As in AWS: a running execution with the same name and input is the answer; anything else is a clash.
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: arn, startDate: existing.startDate };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    let markFinished!: () => void;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    // The RUNNING status change goes out first, the end's after it (deliveries catch their own errors).
    let startDelivered!: () => void;
    const started = new Promise<void>((resolve) => (startDelivered = resolve));
    const execution: Execution = {
      arn,
      name: executionName,
      machine,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      history: new ExecutionHistory(machine.tasks, (event) => this.emit('history', arn, event)),
      controller: new AbortController(),
      inFlight: new Map(),
      abortRun: () => undefined,
      finished,
      markFinished,
      settled: Promise.all([finished, started]).then(() => this.deliverStatusChange(execution)),
    };
    this.executions.set(arn, execution);
    execution.history.add('ExecutionStarted', {
      executionStartedEventDetails: { input, inputDetails: { truncated: false }, roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/stepdeploy-local` },
    });
    this.run(execution, parsedInput);
    // As in AWS, a started execution's RUNNING status change reaches the rules that ask for it (workflow_run).
    void this.deliverStatusChange(execution, 'RUNNING').finally(startDelivered);
    return { executionArn: arn, startDate: execution.startDate };
  }

  private runnable(machine: PreparedMachine): StateMachine {
    if (machine.runnable) return machine.runnable;
    const definition = withLocalTaskTimeouts(machine.local.definition);
    const hash = definitionHash(definition);
    const cache = this.validationCache;
    const known = cache.has(hash);
    try {
      machine.runnable = new StateMachine(definition as never, { validationOptions: known ? { noValidate: true } : { checkArn: true, checkPaths: true } });
      if (!known) cache.remember(hash);
    } catch (error) {
      throw new SfnApiError('InvalidDefinition', `State machine '${machine.local.name}': ${(error as Error).message}`);
    }
    return machine.runnable;
  }

  private run(execution: Execution, input: JsonValue): void {
    const { machine } = execution;
    const handlers = Object.fromEntries(
      [...machine.tasks].map(([stateName, state]) => [stateName, (taskInput: unknown) => this.runTask(execution, stateName, state, taskInput)]),
    );
    const run = this.runnable(machine).run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, ...(this.options.waitOverrides ? { waitTimeOverrides: { ...this.options.waitOverrides } } : {}) },
      context: {
        Execution: { Id: execution.arn, Name: execution.name, RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/stepdeploy-local`, StartTime: execution.startDate.toISOString() },
        StateMachine: { Id: machine.local.arn, Name: machine.local.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    execution.abortRun = run.abort;
    const drained = (async () => {
      for await (const event of run.eventLogs) {
        execution.history.fromLibrary(event as LibraryEvent);
        const overLimit = payloadLimitError(event as LibraryEvent);
        if (overLimit !== undefined) await this.failOverPayloadLimit(execution, overLimit);
        // The library stops a failed Parallel's or Map's other branches but cannot reach their tasks.
        const state = (event as LibraryEvent).state;
        if (event.type === 'StateFailed' && (state?.type === 'Parallel' || state?.type === 'Map')) this.stopTasksInside(execution, state.name);
      }
    })();
    run.result
      .then(
        async (output) => {
          await drained;
          await this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output) });
          return 'ended' as const;
        },
        async (error: unknown) => {
          await drained;
          // stopExecution already recorded the end, winds the tasks down and marks it finished.
          if (error instanceof ExecutionAbortedError) return 'stopped' as const;
          if (error instanceof ExecutionTimeoutError) {
            await this.finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: `The execution ran longer than its TimeoutSeconds (${machine.local.definition.TimeoutSeconds})` });
          } else {
            const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
            const cause = (failure as { cause?: unknown }).cause;
            await this.finish(execution, 'FAILED', { error: failure.name, cause: typeof cause === 'string' ? cause : failure.message });
          }
          return 'ended' as const;
        },
      )
      // Nothing the end of a run does may become an unhandled rejection, and close() waits for `settled`.
      .catch((error: unknown) => {
        this.emit('warning', `Ending ${execution.arn} failed: ${(error as Error).message}`);
        return 'ended' as const;
      })
      .then((how) => {
        if (how === 'ended') execution.markFinished();
      });
  }

  /** Ends a running execution as AWS would at a payload over 256 KiB: FAILED, no Catch applies. */
  private async failOverPayloadLimit(execution: Execution, failure: PayloadLimitFailure): Promise<void> {
    if (execution.status !== 'RUNNING') return;
    execution.abortRun();
    await this.finish(execution, 'FAILED', failure);
    execution.markFinished();
  }

  /** Records the end (once), stops what still runs, and waits for it. */
  private async finish(execution: Execution, status: Exclude<Status, 'RUNNING'>, result: { output?: string; error?: string; cause?: string }): Promise<void> {
    if (execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.stopDate = new Date();
    Object.assign(execution, result);
    const failure = { ...(result.error !== undefined ? { error: result.error } : {}), ...(result.cause !== undefined ? { cause: result.cause } : {}) };
    if (status === 'SUCCEEDED') {
      execution.history.add('ExecutionSucceeded', { executionSucceededEventDetails: { output: result.output ?? 'null', outputDetails: { truncated: false } } });
    } else if (status === 'FAILED') {
      execution.history.add('ExecutionFailed', { executionFailedEventDetails: failure });
    } else if (status === 'TIMED_OUT') {
      execution.history.add('ExecutionTimedOut', { executionTimedOutEventDetails: failure });
    } else {
      execution.history.add('ExecutionAborted', { executionAbortedEventDetails: failure });
    }
    execution.controller.abort();
    await Promise.allSettled([...execution.inFlight.keys()]);
    // Its runners end with it (the stop runner states already asked them; an abort did not).
    try {
      await this.runners.stopExecution(execution.arn);
    } catch (error) {
      this.emit('warning', `Stopping the runners of ${execution.arn} failed: ${(error as Error).message}`);
    }
  }

  /** How many runner processes started ahead (lib/local/warm-runners.ts) wait for a launch, and how many of them have loaded the bundle. */
  waitingRunners(): { readonly waiting: number; readonly ready: number } {
    return this.runners.waitingRunners();
  }

  /** The process group ids of the runners an execution started and that were not stopped yet. */
  runnerPids(executionArn: string): number[] {
    return this.runners.runnerPids(executionArn);
  }

  private stopTasksInside(execution: Execution, container: string): void {
    for (const { stateName, stop } of execution.inFlight.values()) {
      if (execution.machine.containers.get(stateName)?.has(container)) stop.abort();
    }
  }

  private async deliverStatusChange(execution: Execution, running?: 'RUNNING'): Promise<void> {
    await this.deliverEvent(
      statusChangeEvent({
        executionArn: execution.arn,
        stateMachineArn: execution.machine.local.arn,
        name: execution.name,
        status: running ?? execution.status,
        startDate: execution.startDate.getTime(),
        stopDate: running ? null : (execution.stopDate?.getTime() ?? null),
        input: execution.input,
        output: running ? null : (execution.output ?? null),
        error: running ? null : (execution.error ?? null),
        cause: running ? null : (execution.cause ?? null),
      }),
      execution.arn,
    );
  }

  /**
   * Ends, as ABORTED, every execution a persisted table still names: none survived the process that
   * ran it (lost-executions.ts). Returns their ARNs.
   */
  private async endLostExecutions(): Promise<string[]> {
    const client = dynamodbClient(this.endpoints.dynamodb);
    let lost: string[];
    try {
      lost = await executionsNamedIn(client, this.tableNames);
    } finally {
      client.destroy();
    }
    const now = Date.now();
    for (const arn of lost) {
      const { stateMachineArn, name } = executionParts(arn);
      const event = statusChangeEvent({
        executionArn: arn,
        stateMachineArn,
        name,
        status: 'ABORTED',
        startDate: now,
        stopDate: now,
        input: '{}',
        output: null,
        error: 'States.Aborted',
        cause: 'The local engine that ran this execution ended without finishing it (a restart on persisted data)',
      });
      await this.deliverEvent(event, arn);
    }
    return lost;
  }

  private async deliverEvent(event: ReturnType<typeof statusChangeEvent>, executionArn: string): Promise<void> {
    const plain = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    for (const rule of this.template.rules) {
      if (!matchesPattern(event, rule.pattern)) continue;
      for (const target of rule.targets) {
        try {
          const fn = await this.lambda(target.arn, `rule ${rule.logicalId}`);
          const rulePart = { arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule.name}`, name: rule.name };
          await fn(targetPayload(plain, target.input, rulePart, event.time));
        } catch (error) {
          this.emit('warning', `Rule '${rule.logicalId}': delivering the status change of ${executionArn} to ${target.arn} failed: ${(error as Error).message}`);
        }
      }
    }
  }

  // ── Tasks ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs one Task state. The library races it against the state's timeout but cannot stop it, so the
   * task gets a signal that aborts at the same moment (and when the execution ends) and kills its work.
   */
  private runTask(execution: Execution, stateName: string, state: TaskState, rawInput: unknown): Promise<unknown> {
    const never = new Promise<never>(() => undefined);
    // A stopped execution's retry or next task: the library has already moved on without it.
    if (execution.controller.signal.aborted) return never;
    const overLimit = payloadLimitFailure(stateName, 'task input', rawInput);
    if (overLimit !== undefined) {
      void this.failOverPayloadLimit(execution, overLimit);
      return never;
    }
    const timeoutSeconds = state.TimeoutSeconds ?? (state.TimeoutSecondsPath !== undefined ? simplePath(rawInput, state.TimeoutSecondsPath) : undefined);
    if (state.TimeoutSecondsPath !== undefined && typeof timeoutSeconds !== 'number') return never; // the library fails the state itself
    const timeout = new AbortController();
    let timedOut = false;
    const timer =
      typeof timeoutSeconds === 'number'
        ? setTimeout(() => {
            timedOut = true;
            timeout.abort();
          }, Math.min(timeoutSeconds, MAX_TIMER_SECONDS) * 1000)
        : undefined;
    const context: TaskContext = {
      stateName,
      executionArn: execution.arn,
      executionName: execution.name,
      signal: AbortSignal.any([execution.controller.signal, timeout.signal]),
    };
    const token = state.Resource === TaskResources.lambdaInvokeWaitForToken ? this.tokens.mint() : undefined;
    // HeartbeatSeconds: the clock starts with the task and restarts on every SendTaskHeartbeat.
    let heartbeatTimer: NodeJS.Timeout | undefined;
    let heartbeatLost: ((error: TaskError) => void) | undefined;
    const heartbeatSeconds = state.HeartbeatSeconds;
    const armHeartbeat = (): void => {
      clearTimeout(heartbeatTimer);
      heartbeatTimer = setTimeout(() => {
        timedOut = true;
        timeout.abort();
        heartbeatLost?.(new TaskError('States.HeartbeatTimeout', `No heartbeat for ${heartbeatSeconds} seconds (HeartbeatSeconds)`));
      }, Math.min(heartbeatSeconds ?? 0, MAX_TIMER_SECONDS) * 1000);
    };
    if (token !== undefined && heartbeatSeconds !== undefined) {
      this.tokens.watchHeartbeats(token, armHeartbeat);
      armHeartbeat();
    }
    const work = (async () => {
      // Let the library's "state entered" reach the history before this task's own events.
      await nextMacrotask();
      const input = token === undefined ? rawInput : replaceToken(rawInput, token);
      this.recordTaskCalls(execution, state, input);
      execution.history.task('scheduled', stateName, input);
      execution.history.task('started', stateName, undefined);
      const output = await this.dispatchTask(state, input, context, token);
      if (!timedOut) execution.history.task('succeeded', stateName, output);
      return output;
    })();
    execution.inFlight.set(work, { stateName, stop: timeout });
    const forget = (): void => {
      clearTimeout(timer);
      clearTimeout(heartbeatTimer);
      execution.inFlight.delete(work);
    };
    return new Promise((resolve, reject) => {
      heartbeatLost = reject;
      // After a timeout the library reports States.Timeout itself; the late result is dropped.
      work.then(
        (output) => {
          forget();
          if (!timedOut) resolve(output);
        },
        (error: unknown) => {
          forget();
          if (!timedOut) reject(error);
        },
      );
    });
  }

  /** Each table's partition key attribute: the `dynamodb:LeadingKeys` of a recorded call. */
  private hashKeys(): Record<string, string> {
    return Object.fromEntries(
      this.template.tables.flatMap((table) => table.keySchema.filter((key) => key.KeyType === 'HASH').map((key) => [table.name, key.AttributeName] as const)),
    );
  }

  /** What Step Functions calls with the state machine's role to run this task, its parameters resolved. */
  private recordTaskCalls(execution: Execution, state: TaskState, input: unknown): void {
    const record = this.options.recordAwsCalls;
    if (record === undefined) return;
    const role = execution.machine.local.role ?? execution.machine.local.logicalId;
    const parameters = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    for (const call of taskCalls(state.Resource, parameters)) {
      // An item task's partition key is a condition key, as it is for an SDK call.
      const keys = call.action.startsWith('dynamodb:') ? leadingKeys(call.action.slice('dynamodb:'.length), parameters, this.hashKeys()) : undefined;
      record({ role, ...call, by: 'states.amazonaws.com', ...(keys === undefined ? {} : { context: { 'dynamodb:LeadingKeys': keys } }) });
    }
  }

  /** runner-dispatch just wrote a step's work item: its runner polls for it now (lib/local/runners.ts). */
  private wakeRunner(input: unknown, executionArn: string): void {
    const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: unknown; Payload?: { runner?: unknown } };
    if (typeof FunctionName !== 'string' || this.functions.get(lambdaFunctionName(FunctionName))?.handler !== 'runner-dispatch') return;
    if (typeof Payload?.runner === 'string') this.runners.wake(executionArn, Payload.runner);
  }

  private dispatchTask(state: TaskState, input: unknown, context: TaskContext, token: string | undefined): Promise<unknown> {
    const resolve = (name: string, stateName: string): Promise<LambdaFunction> => this.lambda(name, `State '${stateName}'`);
    switch (state.Resource) {
      case TaskResources.lambdaInvoke:
        return lambdaInvoke(resolve, input, context);
      case TaskResources.lambdaInvokeWaitForToken:
        return lambdaInvokeWaitForToken(resolve, this.tokens, token ?? '', input, context, () => this.wakeRunner(input, context.executionArn));
      case TaskResources.codeBuildStartBuild:
        return codeBuildStartBuild(this.runners, this.template.projects, input, context);
      case TaskResources.dynamodbPutItem:
        return dynamodbItem(this.dynamodbClient, 'putItem', input, context);
      case TaskResources.dynamodbUpdateItem:
        return dynamodbItem(this.dynamodbClient, 'updateItem', input, context);
      case TaskResources.dynamodbGetItem:
        return dynamodbItem(this.dynamodbClient, 'getItem', input, context);
      case TaskResources.startExecutionSync:
        return startExecutionSync(
          {
            start: (arn, childInput, name) => ({ executionArn: this.startExecution(arn, childInput, name).executionArn ?? '' }),
            finished: async (arn) => {
              await this.executions.get(arn)?.finished;
              return this.describeExecution(arn);
            },
            stop: (arn, reason) => this.stopExecution(arn, reason),
          },
          input,
          context,
        );
      default:
        return Promise.reject(
          new TaskError(
            'States.TaskFailed',
            `State '${context.stateName}': resource '${state.Resource}' is not supported by the local engine (supported: ${Object.values(TaskResources).join(', ')})`,
          ),
        );
    }
  }

  /** The engine's own client of its DynamoDB (dynamodb:putItem tasks, runner cleanup). */
  private get dynamodbClient(): ReturnType<typeof dynamodbClient> {
    this.putItemClient ??= dynamodbClient(this.endpoints.dynamodb);
    return this.putItemClient;
  }

  /** A Lambda function by name or ARN: a runtime handler from the template, else a user function. */
  private lambda(nameOrArn: string, where: string): Promise<LambdaFunction> {
    const name = lambdaFunctionName(nameOrArn);
    const known = this.functions.get(name);
    const user = this.options.userLambdas?.[nameOrArn] ?? this.options.userLambdas?.[name];
    if (!known?.handler) {
      if (user) return Promise.resolve(user);
      return Promise.reject(
        new TaskError('Lambda.ResourceNotFoundException', `${where}: Lambda function '${nameOrArn}' is not available locally; pass --lambda ${name}=FILE`),
      );
    }
    const handlerName = known.handler;
    let handler = this.handlers.get(name);
    if (!handler) {
      const client = { region: LOCAL_REGION, credentials: localCredentials };
      // Every handler gets every local client; each takes what its AWS entry would build.
      const record = this.options.recordAwsCalls;
      const recorded = <Client>(sdk: Client): Client => (record === undefined ? sdk : recordSdkCalls(sdk, known.role ?? known.logicalId, record, this.hashKeys()));
      const deps: HandlerDeps & { eventBridge: EventBridgeClient; secrets: SecretsManagerClient; ssm: SSMClient } = {
        env: known.env,
        dynamodb: recorded(dynamodbClient(this.endpoints.dynamodb)),
        sfn: recorded(new SFNClient({ endpoint: this.endpoints.stepFunctions, ...client })),
        eventBridge: recorded(new EventBridgeClient({ endpoint: this.endpoints.eventBridge, ...client })),
        secrets: recorded(new SecretsManagerClient({ endpoint: this.endpoints.secretsManager, ...client })),
        ssm: recorded(new SSMClient({ endpoint: this.endpoints.ssm, ...client })),
        now: Date.now,
      };
      handler = (this.options.handlerModules ?? repositoryHandlerModules)(handlerName).then(
        (module) => module.createHandler(deps) as LambdaFunction,
        (error: unknown) => {
          this.handlers.delete(name);
          throw new TaskError('States.TaskFailed', `${where}: cannot load handler '${handlerName}' of Lambda function '${name}': ${(error as Error).message}`);
        },
      );
      this.handlers.set(name, handler);
    }
    return handler;
  }

  // ── The Step Functions API ────────────────────────────────────────────────────────────────────

  private execution(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  private machine(stateMachineArn: string): PreparedMachine {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  describeExecution(executionArn: string): DescribeExecutionOutput {
    const execution = this.execution(executionArn);
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.machine.local.arn,
      name: execution.name,
      status: execution.status as ExecutionStatus,
      startDate: execution.startDate,
      ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      input: execution.input,
      inputDetails: { included: true },
      ...(execution.output !== undefined ? { output: execution.output, outputDetails: { included: true } } : {}),
      ...(execution.error !== undefined ? { error: execution.error } : {}),
      ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
    };
  }

  /** Resolves once the execution has ended and its status-change event was delivered. */
  async waitForExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    await this.execution(executionArn).settled;
    return this.describeExecution(executionArn);
  }

  /** Newest first, as the API lists them. */
  listExecutions(stateMachineArn: string, statusFilter?: string): ExecutionListItem[] {
    this.machine(stateMachineArn);
    return [...this.executions.values()]
      .filter((execution) => execution.machine.local.arn === stateMachineArn && (statusFilter === undefined || execution.status === statusFilter))
      .reverse()
      .map((execution) => ({
        executionArn: execution.arn,
        stateMachineArn,
        name: execution.name,
        status: execution.status as ExecutionStatus,
        startDate: execution.startDate,
        ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      }));
  }

  listStateMachines(): StateMachineListItem[] {
    return [...this.machines.values()].map(({ local, creationDate }) => ({ stateMachineArn: local.arn, name: local.name, type: 'STANDARD', creationDate }));
  }

  describeStateMachine(stateMachineArn: string): DescribeStateMachineOutput {
    const { local, creationDate } = this.machine(stateMachineArn);
    return {
      stateMachineArn: local.arn,
      name: local.name,
      status: 'ACTIVE',
      definition: JSON.stringify(local.definition),
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/stepdeploy-local`,
      type: 'STANDARD',
      creationDate,
    };
  }

  /**
   * Ends a running execution as ABORTED at once, then stops its tasks: run steps get SIGTERM on
   * their process group (SIGKILL after the grace period), parked task tokens are dropped, child
   * executions are stopped. Resolves when all of that is done.
   */
  async stopExecution(executionArn: string, reason: { error?: string; cause?: string } = {}): Promise<StopExecutionOutput> {
    const execution = this.execution(executionArn);
    if (execution.status === 'RUNNING') {
      execution.abortRun();
      await this.finish(execution, 'ABORTED', {
        ...(reason.error !== undefined ? { error: reason.error } : {}),
        ...(reason.cause !== undefined ? { cause: reason.cause } : {}),
      });
      execution.markFinished();
      await execution.settled;
    }
    return { stopDate: execution.stopDate ?? new Date() };
  }

  getExecutionHistory(executionArn: string): readonly HistoryEvent[] {
    return this.execution(executionArn).history.events;
  }

  sendTaskSuccess(taskToken: unknown, output: unknown): void {
    checkLength('output', String(output));
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(output));
    } catch {
      throw new SfnApiError('InvalidOutput', `Invalid Output: '${String(output)}'`);
    }
    this.tokens.succeed(taskToken, parsed);
  }

  sendTaskFailure(taskToken: unknown, error?: string, cause?: string): void {
    this.tokens.fail(taskToken, error ?? '', cause ?? '');
  }

  sendTaskHeartbeat(taskToken: unknown): void {
    this.tokens.heartbeat(taskToken);
  }

  /** Stops every running execution (killing their processes), then the API and DynamoDB. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.schedules.close();
    await this.eventBridge.close();
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    await Promise.all(running.map((execution) => this.stopExecution(execution.arn, { error: 'States.Aborted', cause: 'The local engine was closed' })));
    // An execution that ended just before may still be stopping its runners and cleaning up the
    // table (its status-change): DynamoDB stays up until all of that is done.
    await Promise.allSettled([...this.executions.values()].map((execution) => execution.settled));
    await this.runners?.close();
    await this.api?.close();
    this.putItemClient?.destroy();
    await this.dynalite.close();
    if (this.ownsWorkDir) await rm(this.workDir, { recursive: true, force: true });
  }
}
