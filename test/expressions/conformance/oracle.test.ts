import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, parseExpression } from '../../../lib/expressions';
import { expressionArbitrary, oracleContexts } from './generate';
import { oracleEvaluate, type RunnerVariant } from './oracle';

// Differential test against GitHub's @actions/expressions: on generated expressions, stepdeploy and the
// package give the same value or both refuse, except where a documented difference explains it.

type Outcome = { value: unknown } | 'error';

interface OursOutcome {
  readonly outcome: Outcome;
  /** The reason of a refusal while parsing, when ours refused before evaluating. */
  readonly parseReason?: string;
}

function ours(expression: string): OursOutcome {
  let tree;
  try {
    tree = parseExpression(expression);
  } catch (error) {
    if (error instanceof ExpressionError) return { outcome: 'error', parseReason: error.reason };
    throw error;
  }
  try {
    return { outcome: { value: evaluate(tree, { contexts: oracleContexts }) } };
  } catch (error) {
    if (error instanceof ExpressionError) return { outcome: 'error' };
    throw error;
  }
}

const same = (a: Outcome, b: Outcome): boolean => (a === 'error' ? b === 'error' : b !== 'error' && isDeepStrictEqual(a.value, b.value));

/**
 * The documented differences, each a reason stepdeploy may differ from the package:
 * - lazy-case, runner-numbers: the package departs from GitHub's runner (see oracle.ts); a runner-like
 *   variant of the package agrees with stepdeploy.
 * - format-checked-when-parsed: a literal format string with too few arguments or bad braces is
 *   refused when the workflow is validated, even in a branch `&&`/`||` would skip; GitHub fails only
 *   when that format() runs.
 */
function explain(expression: string, mine: OursOutcome): string | undefined {
  if (mine.parseReason?.startsWith('format()')) return 'format-checked-when-parsed';
  const variants: [string, RunnerVariant][] = [
    ['runner-numbers', { runnerNumbers: true }],
    ['lazy-case', { lazyCase: true }],
    ['lazy-case+runner-numbers', { lazyCase: true, runnerNumbers: true }],
  ];
  return variants.find(([, variant]) => same(mine.outcome, oracleEvaluate(expression, oracleContexts, variant)))?.[0];
}

describe('stepdeploy and @actions/expressions on generated expressions', () => {
  it('give the same value or both refuse, except for documented differences', () => {
    const samples = fc.sample(expressionArbitrary, { numRuns: 4000, seed: 20261201 });
    let agreed = 0;
    const explained: Record<string, number> = {};
    const unexplained: string[] = [];
    for (const expression of samples) {
      const mine = ours(expression);
      if (same(mine.outcome, oracleEvaluate(expression, oracleContexts))) {
        agreed++;
        continue;
      }
      const reason = explain(expression, mine);
      if (reason === undefined) unexplained.push(expression);
      else explained[reason] = (explained[reason] ?? 0) + 1;
    }
    console.info(`agreement with @actions/expressions: ${agreed}/${samples.length}; documented differences: ${JSON.stringify(explained)}`);
    expect(unexplained).toEqual([]);
    expect(agreed / samples.length).toBeGreaterThan(0.97);
  });

  it('differ as documented on an example of each difference', () => {
    const lazy = "case(true, 'chosen', fromJSON('not json'))";
    expect(ours(lazy).outcome).toEqual({ value: 'chosen' });
    expect(oracleEvaluate(lazy, {})).toBe('error');
    expect(oracleEvaluate(lazy, {}, { lazyCase: true })).toEqual({ value: 'chosen' });

    const big = "format('{0}', 1e15)";
    expect(ours(big).outcome).toEqual({ value: '1E+15' });
    expect(oracleEvaluate(big, {})).toEqual({ value: '1000000000000000' });
    expect(oracleEvaluate(big, {}, { runnerNumbers: true })).toEqual({ value: '1E+15' });

    const skipped = "true || format('{1}', 'only one')";
    expect(ours(skipped).parseReason).toBe("format(): format string '{1}' refers to {1} but only 1 argument follows it");
    expect(oracleEvaluate(skipped, {})).toEqual({ value: true });
  });
});
