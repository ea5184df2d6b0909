// `--env-passthrough NAME`: the one way a variable of the caller's shell reaches local steps.

import { RUNNER_VARIABLE_PREFIX } from '../runner/identity';
import { UsageError } from './args';

export function passthroughVariables(names: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--env-passthrough ${name}: not a variable name`, 'run');
    if (name.startsWith(RUNNER_VARIABLE_PREFIX)) throw new UsageError(`--env-passthrough ${name}: ${RUNNER_VARIABLE_PREFIX}* variables steer the runner and cannot be passed`, 'run');
    const value = env[name];
    if (value === undefined) throw new UsageError(`--env-passthrough ${name}: ${name} is not set in this shell`, 'run');
    passed[name] = value;
  }
  return passed;
}
