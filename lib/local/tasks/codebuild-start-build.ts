// `codebuild:startBuild` (request-response) on the runner project: starts a local runner for the job
// cell and answers at once with the build, as the real integration does.

import type { LocalProject } from '../template';
import type { LocalRunners } from '../runners';
import { TaskError } from '../task-error';
import { parametersOf, type TaskContext } from './task-context';

/**
 * runs-on's environment (lib/asl/runner-environment.ts): a local runner runs on this machine whatever
 * the image, so the values are only recorded in the build, as CodeBuild reports them.
 */
const ENVIRONMENT_OVERRIDES = { ImageOverride: 'Image', ComputeTypeOverride: 'ComputeType', EnvironmentTypeOverride: 'Type' } as const;

function environmentOverrides(value: unknown, stateName: string): Record<string, string> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw new TaskError('States.Runtime', `State '${stateName}': EnvironmentVariablesOverride must be a list`);
  return Object.fromEntries(
    value.map((entry: unknown, index) => {
      const { Name, Value, Type } = parametersOf(entry);
      if (typeof Name !== 'string') throw new TaskError('States.Runtime', `State '${stateName}': EnvironmentVariablesOverride[${index}].Name must be a string`);
      if (Type !== undefined && Type !== 'PLAINTEXT') {
        throw new TaskError('States.TaskFailed', `State '${stateName}': EnvironmentVariablesOverride[${index}] (${Name}) has Type ${String(Type)}; only PLAINTEXT is available locally`);
      }
      return [Name, typeof Value === 'string' ? Value : JSON.stringify(Value ?? '')];
    }),
  );
}

/**
 * The source a start runner names (lib/asl/runner-source-seams.ts). Locally the engine's
 * prepareWorkspace fills the workspace from the run's checkout (STEPDEPLOY_CHECKOUT) whatever these
 * say, so they are checked and recorded in the build, as CodeBuild reports them.
 */
const SOURCE_PARAMETERS = ['SourceVersion', 'SourceTypeOverride', 'SourceLocationOverride', 'BuildspecOverride'] as const;

/** Parameters the local runner honours; any other StartBuild override is refused by name. */
const KNOWN = new Set(['ProjectName', 'EnvironmentVariablesOverride', ...Object.keys(ENVIRONMENT_OVERRIDES), ...SOURCE_PARAMETERS]);

export async function codeBuildStartBuild(runners: LocalRunners, projects: readonly LocalProject[], input: unknown, context: TaskContext): Promise<unknown> {
  const parameters = parametersOf(input);
  const where = `State '${context.stateName}'`;
  const { ProjectName, EnvironmentVariablesOverride } = parameters;
  if (typeof ProjectName !== 'string') throw new TaskError('States.Runtime', `${where}: Parameters.ProjectName must be a string`);
  const unknown = Object.keys(parameters).find((key) => !KNOWN.has(key));
  if (unknown !== undefined) throw new TaskError('States.TaskFailed', `${where}: StartBuild parameter ${unknown} is not supported by the local engine`);
  const project = projects.find((candidate) => candidate.name === ProjectName);
  if (project === undefined) throw new TaskError('CodeBuild.ResourceNotFoundException', `${where}: no CodeBuild project '${ProjectName}' in the template`);
  const wrong = SOURCE_PARAMETERS.find((name) => parameters[name] !== undefined && (typeof parameters[name] !== 'string' || parameters[name] === ''));
  if (wrong !== undefined) throw new TaskError('States.Runtime', `${where}: Parameters.${wrong} must be a non-empty string, got ${JSON.stringify(parameters[wrong])}`);
  if (parameters.SourceTypeOverride !== undefined && parameters.SourceTypeOverride !== 'S3') {
    throw new TaskError('States.TaskFailed', `${where}: SourceTypeOverride ${String(parameters.SourceTypeOverride)} is not supported by the local engine (S3 is)`);
  }
  const source = {
    ...(typeof parameters.SourceTypeOverride === 'string' ? { Source: { type: parameters.SourceTypeOverride, location: parameters.SourceLocationOverride } } : {}),
    ...(typeof parameters.SourceVersion === 'string' ? { SourceVersion: parameters.SourceVersion } : {}),
  };
  const environment = Object.fromEntries(
    Object.entries(ENVIRONMENT_OVERRIDES).flatMap(([parameter, field]) => (typeof parameters[parameter] === 'string' ? [[field, parameters[parameter]]] : [])),
  );
  const build = await runners.start({
    projectName: ProjectName,
    ...(project.role !== undefined ? { projectRole: project.role } : {}),
    projectEnv: project.env,
    overrides: environmentOverrides(EnvironmentVariablesOverride, context.stateName),
    executionArn: context.executionArn,
    executionName: context.executionName,
  });
  return { Build: { ...build, ...source, ...(Object.keys(environment).length > 0 ? { Environment: environment } : {}) } };
}
