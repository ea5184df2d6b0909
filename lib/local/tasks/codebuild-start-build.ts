// `codebuild:startBuild.sync`: the BuildspecOverride runs as a bash child process with the environment
// CodeBuild would give it; the result has the shape of the real integration's.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EnvironmentError, runBuild } from '../build-runner';
import { BuildspecError, parseBuildspec } from '../buildspec';
import { codeBuildBuildArn, LOCAL_REGION } from '../local-arns';
import { TaskError } from '../task-error';
import { parametersOf, type TaskContext } from './task-context';

export interface BuildSettings {
  /** Builds get their scripts (and, without `sourceDir`, their working directory) under here. */
  readonly workDir: string;
  readonly logDir: string;
  /** The working directory of every build (CODEBUILD_SRC_DIR); default: a fresh one per build. */
  readonly sourceDir?: string;
  readonly graceMs: number;
  /** Numbers builds across the engine (CODEBUILD_BUILD_NUMBER). */
  readonly nextBuildNumber: () => number;
  /** The log file of this state in this execution (one per attempt or Map iteration). */
  readonly logFileFor: (executionArn: string, stateName: string) => string;
  /** A Secrets Manager secret's value by name or ARN (SECRETS_MANAGER variables). */
  readonly secret: (id: string) => string | undefined;
  /** A Parameter Store value by name (PARAMETER_STORE variables). */
  readonly parameter: (name: string) => string | undefined;
}

/**
 * The build's override variables, resolved as CodeBuild resolves them: SECRETS_MANAGER and
 * PARAMETER_STORE values name a secret or parameter, whose value the build gets. A missing one fails
 * the build (naming the secret, never a value), as CodeBuild fails it before the first phase.
 * Secret values are returned for masking.
 */
function environmentOverrides(value: unknown, stateName: string, settings: BuildSettings): { variables: Record<string, string>; secrets: string[] } {
  const secrets: string[] = [];
  if (value === undefined) return { variables: {}, secrets };
  if (!Array.isArray(value)) throw new TaskError('States.Runtime', `State '${stateName}': EnvironmentVariablesOverride must be a list`);
  const variables = Object.fromEntries(
    value.map((entry: unknown, index) => {
      const { Name, Value, Type } = parametersOf(entry);
      if (typeof Name !== 'string') throw new TaskError('States.Runtime', `State '${stateName}': EnvironmentVariablesOverride[${index}].Name must be a string`);
      const text = typeof Value === 'string' ? Value : JSON.stringify(Value ?? '');
      if (Type === undefined || Type === 'PLAINTEXT') return [Name, text];
      if (Type === 'SECRETS_MANAGER') {
        const secret = settings.secret(text);
        if (secret === undefined) throw new TaskError('States.TaskFailed', `State '${stateName}': ${Name}: Secrets Manager can't find the specified secret '${text}'`);
        secrets.push(secret);
        return [Name, secret];
      }
      if (Type === 'PARAMETER_STORE') {
        const parameter = settings.parameter(text);
        if (parameter === undefined) throw new TaskError('States.TaskFailed', `State '${stateName}': ${Name}: parameter '${text}' does not exist in Parameter Store`);
        return [Name, parameter];
      }
      throw new TaskError('States.Runtime', `State '${stateName}': EnvironmentVariablesOverride[${index}] (${Name}) has an unknown Type ${String(Type)}`);
    }),
  );
  return { variables, secrets };
}

const inheritedEnvironment = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));

export async function codeBuildStartBuildSync(settings: BuildSettings, input: unknown, context: TaskContext): Promise<unknown> {
  const { ProjectName, BuildspecOverride, EnvironmentVariablesOverride } = parametersOf(input);
  const where = `State '${context.stateName}'`;
  if (typeof ProjectName !== 'string') throw new TaskError('States.Runtime', `${where}: Parameters.ProjectName must be a string`);
  if (typeof BuildspecOverride !== 'string') {
    throw new TaskError('States.TaskFailed', `${where}: BuildspecOverride is required locally (the project's own buildspec is not available)`);
  }
  let buildspec;
  try {
    buildspec = parseBuildspec(BuildspecOverride);
  } catch (error) {
    if (error instanceof BuildspecError) throw new TaskError('States.TaskFailed', `${where}: ${error.message}`);
    throw error;
  }
  const { variables: overrides, secrets } = environmentOverrides(EnvironmentVariablesOverride, context.stateName, settings);

  const buildNumber = settings.nextBuildNumber();
  const id = `${ProjectName}:${randomUUID()}`;
  const buildDir = join(settings.workDir, 'builds', `${buildNumber}`);
  const sourceDir = settings.sourceDir ?? join(buildDir, 'src');
  const logFile = settings.logFileFor(context.executionArn, context.stateName);
  const startTime = Date.now();
  const environment = {
    ...inheritedEnvironment(),
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    CODEBUILD_BUILD_ID: id,
    CODEBUILD_BUILD_ARN: codeBuildBuildArn(id),
    CODEBUILD_BUILD_NUMBER: String(buildNumber),
    CODEBUILD_BUILD_SUCCEEDING: '1',
    CODEBUILD_INITIATOR: `states/${context.executionName}`,
    CODEBUILD_SRC_DIR: sourceDir,
    CODEBUILD_START_TIME: String(startTime),
    ...buildspec.variables,
    ...overrides,
  };
  let outcome;
  try {
    outcome = await runBuild({ buildspec, environment, buildDir, sourceDir, logFile, signal: context.signal, graceMs: settings.graceMs, mask: secrets });
  } catch (error) {
    if (error instanceof EnvironmentError) throw new TaskError('States.TaskFailed', `${where}: ${error.message}`);
    throw error;
  }
  const status = context.signal.aborted ? 'STOPPED' : outcome.succeeded ? 'SUCCEEDED' : 'FAILED';
  const Build = {
    Id: id,
    Arn: codeBuildBuildArn(id),
    BuildNumber: buildNumber,
    ProjectName,
    BuildStatus: status,
    CurrentPhase: 'COMPLETED',
    StartTime: startTime,
    EndTime: Date.now(),
    ExportedEnvironmentVariables: outcome.exportedVariables,
    Logs: { DeepLink: pathToFileURL(logFile).href, LocalPath: logFile },
  };
  if (status === 'STOPPED') throw new TaskError('States.Aborted', JSON.stringify({ Build }));
  if (status === 'FAILED') throw new TaskError('States.TaskFailed', JSON.stringify({ Build, LastLogLines: outcome.lastLines }));
  return { Build };
}
