// The project settings a workflow is checked against, from the cdk.json next to the workflow file or
// in the closest folder above it (the one `cdk deploy` reads): the runner labels
// (`context["stepdeploy:runnerLabels"]`). `stepdeploy validate` and the CDK app read the same file,
// so a label that validates also deploys.

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { contextMistake } from './project-context';
import { environmentTypes, runnerLabelTable, type EnvironmentType, type RunnerLabel, type RunnerLabelTable } from './runner-labels';

export const RUNNER_LABELS_CONTEXT = 'stepdeploy:runnerLabels';

export interface ProjectConfig {
  /** The cdk.json read, if one was found. */
  readonly file?: string;
  /** The default labels with the project's over them. */
  readonly runnerLabels: RunnerLabelTable;
  /** The file's `stepdeploy:*` context entries (the connection, runner grants, heartbeat, …). */
  readonly stepdeployContext: Readonly<Record<string, unknown>>;
}

export type ProjectConfigResult =
  | { readonly config: ProjectConfig }
  /** `line`/`column`: where the offending key is written, when it is found in the text. */
  | { readonly file: string; readonly error: string; readonly line?: number; readonly column?: number };

/** The closest cdk.json at or above the workflow's folder; no cdk.json means the default labels. */
export async function findProjectConfig(workflowFile: string): Promise<ProjectConfigResult> {
  for (let dir = dirname(resolve(workflowFile)); ; dir = dirname(dir)) {
    const file = join(dir, 'cdk.json');
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (text !== undefined) return projectConfigFromText(text, file);
    if (dirname(dir) === dir) return { config: { runnerLabels: runnerLabelTable(), stepdeployContext: {} } };
  }
}

/**
 * The `stepdeploy:*` context of the closest cdk.json (the connection, runner grants, heartbeat, …):
 * a local run synthesizes with it, so its template is the one `cdk deploy` would ship. Malformed or
 * absent: none (loading the workflow reports a malformed file).
 */
export async function projectContext(workflowFile: string): Promise<Readonly<Record<string, unknown>>> {
  const found = await findProjectConfig(workflowFile).catch(() => undefined);
  return found !== undefined && 'config' in found ? found.config.stepdeployContext : {};
}

/**
 * Parses a cdk.json's text; a malformed `stepdeploy:runnerLabels` or other `stepdeploy:*` entry
 * (lib/model/project-context.ts) is an error naming the entry and the rule.
 */
export function projectConfigFromText(text: string, file: string): ProjectConfigResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { file, error: `${file}: not valid JSON (${(error as Error).message})` };
  }
  const context = isRecord(json) ? json.context : undefined;
  const stepdeployContext = isRecord(context) ? Object.fromEntries(Object.entries(context).filter(([key]) => key.startsWith('stepdeploy:'))) : {};
  const mistake = contextMistake(stepdeployContext);
  if (mistake !== undefined) return { file, error: `${file}: context.${mistake.at}: ${mistake.rule}`, ...keyPosition(text, mistake.key) };
  const labels = isRecord(context) ? context[RUNNER_LABELS_CONTEXT] : undefined;
  if (labels === undefined) return { config: { file, runnerLabels: runnerLabelTable(), stepdeployContext } };
  const parsed = parseRunnerLabels(labels);
  if (typeof parsed === 'string') return { file, error: `${file}: context.${RUNNER_LABELS_CONTEXT}${parsed}` };
  return { config: { file, runnerLabels: runnerLabelTable(parsed), stepdeployContext } };
}

/** Where `"key"` is first written in a JSON text (1-based), if it is. */
function keyPosition(text: string, key: string): { line: number; column: number } | undefined {
  const at = text.indexOf(JSON.stringify(key));
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

const labelFields = ['image', 'computeType', 'environmentType'] as const;

/** `{ label: { image?, computeType?, environmentType? } }`, or the reason it is not (starting with the entry's path). */
export function parseRunnerLabels(value: unknown): RunnerLabelTable | string {
  if (!isRecord(value)) return `: expected an object of label → { image, computeType, environmentType }`;
  const table: Record<string, RunnerLabel> = {};
  for (const [label, entry] of Object.entries(value)) {
    const at = `.${label}`;
    if (label.trim() === '' || label.toLowerCase() === 'self-hosted') return `${at}: '${label}' cannot be a runner label`;
    if (!isRecord(entry)) return `${at}: expected an object with image, computeType and/or environmentType`;
    const unknown = Object.keys(entry).find((key) => !(labelFields as readonly string[]).includes(key));
    if (unknown !== undefined) return `${at}.${unknown}: unknown field (fields: ${labelFields.join(', ')})`;
    if (Object.keys(entry).length === 0) return `${at}: sets nothing (fields: ${labelFields.join(', ')})`;
    for (const field of labelFields) {
      const given = entry[field];
      if (given !== undefined && (typeof given !== 'string' || given.trim() === '')) return `${at}.${field}: expected a non-empty string`;
    }
    if (entry.environmentType !== undefined && !(environmentTypes as readonly unknown[]).includes(entry.environmentType)) {
      return `${at}.environmentType: '${String(entry.environmentType)}' is not one of ${environmentTypes.join(', ')}`;
    }
    if (entry.computeType !== undefined && !/^[A-Z0-9_]+$/.test(entry.computeType as string)) {
      return `${at}.computeType: '${String(entry.computeType)}' is not a CodeBuild compute type (e.g. BUILD_GENERAL1_LARGE, BUILD_LAMBDA_4GB)`;
    }
    table[label] = {
      ...(entry.image !== undefined && { image: entry.image as string }),
      ...(entry.computeType !== undefined && { computeType: entry.computeType as string }),
      ...(entry.environmentType !== undefined && { environmentType: entry.environmentType as EnvironmentType }),
    };
  }
  return table;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
