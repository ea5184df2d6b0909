// GitHub's runner file commands: what a step writes to $GITHUB_ENV and $GITHUB_PATH applies to every
// later step of the cell. The files are fresh per step; the runner folds them in after the step.

import { parseStepOutputs, StepOutputError } from '../runtime/step-outputs';

/** Names a step may not set through $GITHUB_ENV (GitHub refuses NODE_OPTIONS; ours steer the runner). */
function refusedName(name: string): boolean {
  return name === 'NODE_OPTIONS' || name.startsWith('STEPDEPLOY_RUNNER_') || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

export class CellEnvironment {
  private readonly exported = new Map<string, string>();
  /** Newest first: a later `echo dir >> $GITHUB_PATH` comes before earlier ones. */
  private readonly paths: string[] = [];

  /** Folds one step's files in; throws StepOutputError naming the file and the line on a bad one. */
  apply(envFileText: string, pathFileText: string): void {
    let values: Record<string, string>;
    try {
      values = parseStepOutputs(envFileText);
    } catch (error) {
      if (error instanceof StepOutputError) throw new StepOutputError(`$GITHUB_ENV: ${error.message}`);
      throw error;
    }
    for (const [name, value] of Object.entries(values)) {
      if (refusedName(name)) throw new StepOutputError(`$GITHUB_ENV: '${name}' cannot be set from a step`);
      this.exported.set(name, value);
    }
    const added = pathFileText
      .split('\n')
      .map((line) => line.replace(/\r$/, '').trim())
      .filter((line) => line !== '');
    this.paths.unshift(...added.reverse());
  }

  /**
   * A step's environment: the runner's base, then what earlier steps exported, then the step's own
   * evaluated env (GitHub's order: a step's `env:` wins over $GITHUB_ENV), with $GITHUB_PATH in front of PATH.
   */
  environmentFor(base: Readonly<Record<string, string>>, stepEnv: readonly { Name: string; Value: string }[]): Record<string, string> {
    const environment: Record<string, string> = { ...base, ...Object.fromEntries(this.exported) };
    for (const { Name, Value } of stepEnv) environment[Name] = Value;
    if (this.paths.length > 0) environment.PATH = [...this.paths, environment.PATH ?? ''].filter(Boolean).join(':');
    return environment;
  }
}
