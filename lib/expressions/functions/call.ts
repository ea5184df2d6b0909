import type { CallNode } from '../ast';
import { ExpressionError } from '../error';
import { toDisplayString } from '../coerce';
import { arityProblem } from './catalog';
import { format } from './format';
import { fromJSON, toJSON } from './json';
import { join } from './join';
import { contains, endsWith, startsWith } from './search';

export type JobStatus = 'success' | 'failure' | 'cancelled';

/** Applies a function to its evaluated arguments. */
export function callFunction(node: CallNode, args: readonly unknown[], status: JobStatus): unknown {
  const problem = arityProblem(node.name, args.length);
  if (problem !== undefined) throw new ExpressionError(problem, node.start);
  const [first, second] = args;
  switch (node.name) {
    case 'contains':
      return contains(first, second);
    case 'startsWith':
      return startsWith(first, second);
    case 'endsWith':
      return endsWith(first, second);
    case 'format':
      return format(toDisplayString(first), args.slice(1).map(toDisplayString), node.start);
    case 'join':
      return args.length > 1 ? join(first, second) : join(first);
    case 'toJSON':
      return toJSON(first);
    case 'fromJSON':
      return fromJSON(first, node.start);
    case 'success':
      return status === 'success';
    case 'failure':
      return status === 'failure';
    case 'cancelled':
      return status === 'cancelled';
    case 'always':
      return true;
    case 'case':
      throw new Error('case() is evaluated lazily by evaluate(), never on evaluated arguments');
  }
}
