import type { Construct } from 'constructs';
import { ContextMistake } from '../model/project-context';

/**
 * A cdk.json context value read with its rule (lib/model/project-context.ts, the rules loading checks
 * a cdk.json with); a value that breaks it (also one given with `cdk synth -c`) throws naming the key.
 */
export function contextValue<T>(scope: Construct, key: string, read: (value: unknown) => T | ContextMistake): T {
  const value = read(scope.node.tryGetContext(key));
  if (value instanceof ContextMistake) throw new Error(value.message);
  return value;
}
