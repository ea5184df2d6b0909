import type { HandlerDeps } from '../../lib/runtime/deps';
import { evaluateOp, type EvaluateEvent } from '../../lib/runtime/evaluate';

/** Pure evaluation: needs nothing from its surroundings. */
export function createHandler(_deps?: HandlerDeps): (event: EvaluateEvent) => Promise<unknown> {
  return async (event) => evaluateOp(event);
}

export const handler = createHandler();
