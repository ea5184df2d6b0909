import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, parseExpression } from '../../../lib/expressions';
import { conformanceCases, type Case } from './cases';

// Every case of GitHub's shared expression test data (see cases.ts), against stepdeploy's evaluator.

const table = Object.entries(conformanceCases).flatMap(([file, cases]) => cases.map((testCase, index) => ({ file, index, testCase })));

/** What stepdeploy does with a case: its value, or the stage that refused it. */
function outcome({ expr, contexts = {} }: Case): { value: unknown } | { error: 'parse' | 'evaluate' } {
  let tree;
  try {
    tree = parseExpression(expr);
  } catch (error) {
    if (error instanceof ExpressionError) return { error: 'parse' };
    throw error;
  }
  try {
    return { value: evaluate(tree, { contexts }) };
  } catch (error) {
    if (error instanceof ExpressionError) return { error: 'evaluate' };
    throw error;
  }
}

describe("GitHub's expression test data (actions/languageservices expressions/testdata)", () => {
  it.each(table)('$file #$index: $testCase.expr', ({ testCase }) => {
    const expected = 'error' in testCase ? { error: testCase.error } : { value: testCase.value };
    expect(outcome(testCase)).toEqual(expected);
  });

  it('covers every file of the test data that holds cases', () => {
    expect(Object.keys(conformanceCases).sort()).toEqual(
      ['case', 'coerce_string', 'endsWith', 'format', 'fromJSON', 'join', 'op_dot', 'op_gt', 'op_lt', 'op_or', 'operators_case_insensitive', 'operators_precedence', 'tojson'].sort(),
    );
    expect(table.length).toBeGreaterThan(400);
  });
});
