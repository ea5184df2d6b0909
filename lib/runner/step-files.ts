// The files a step gets, under the runner's temp folder (never in the workspace): its script, and
// GitHub's file commands. GITHUB_OUTPUT and STEPDEPLOY_OUTPUT are one file.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StepFiles {
  readonly script: string;
  readonly output: string;
  readonly env: string;
  readonly path: string;
  readonly summary: string;
}

/** Where the files of one attempt of one step are (`key` is unique per attempt in the runner). */
export function stepFilePaths(tempDir: string, key: string): StepFiles {
  const dir = join(tempDir, '_runner_file_commands', key);
  return { script: join(dir, 'script.sh'), output: join(dir, 'output'), env: join(dir, 'env'), path: join(dir, 'path'), summary: join(dir, 'step_summary') };
}

/** Fresh files for one attempt of one step. */
export async function createStepFiles(tempDir: string, key: string): Promise<StepFiles> {
  const files = stepFilePaths(tempDir, key);
  await mkdir(join(tempDir, '_runner_file_commands', key), { recursive: true });
  await Promise.all([files.output, files.env, files.path, files.summary].map((file) => writeFile(file, '')));
  return files;
}

/** The variables that point a step at its files. */
export function fileVariables(files: StepFiles, tempDir: string): Record<string, string> {
  return {
    GITHUB_OUTPUT: files.output,
    STEPDEPLOY_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: tempDir,
  };
}

export const readText = (file: string): Promise<string> => readFile(file, 'utf8').catch(() => '');
