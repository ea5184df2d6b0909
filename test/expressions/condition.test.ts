import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition, type EvalContext, type ExprNode } from '../../lib/expressions';
import { errorOf } from './helpers';

const contexts = {
  matrix: { os: 'linux' },
  needs: { build: { result: 'success' }, test: { result: 'failure' } },
  inputs: { dryRun: false, environment: 'prod' },
};

type Status = NonNullable<EvalContext['status']>;
const statuses: Status[] = ['success', 'failure', 'cancelled'];

describe('evaluateCondition (GitHub if: rules)', () => {
  it.each<[string, Record<Status, boolean>]>([
    ['', { success: true, failure: false, cancelled: false }],
    ['   ', { success: true, failure: false, cancelled: false }],
    ['true', { success: true, failure: false, cancelled: false }],
    ["matrix.os == 'linux'", { success: true, failure: false, cancelled: false }],
    ["${{ matrix.os == 'linux' }}", { success: true, failure: false, cancelled: false }],
    ["  ${{ matrix.os == 'LINUX' }}  ", { success: true, failure: false, cancelled: false }],
    ["matrix.os == 'windows'", { success: false, failure: false, cancelled: false }],
    ['${{ false }}', { success: false, failure: false, cancelled: false }],
    ['success()', { success: true, failure: false, cancelled: false }],
    ['failure()', { success: false, failure: true, cancelled: false }],
    ['cancelled()', { success: false, failure: false, cancelled: true }],
    ['always()', { success: true, failure: true, cancelled: true }],
    ['${{ always() }}', { success: true, failure: true, cancelled: true }],
    ['!cancelled()', { success: true, failure: true, cancelled: false }],
    ["failure() && matrix.os == 'linux'", { success: false, failure: true, cancelled: false }],
    ["always() && inputs.environment == 'prod'", { success: true, failure: true, cancelled: true }],
    ["contains(needs.*.result, 'failure')", { success: true, failure: false, cancelled: false }],
    ['!inputs.dryRun', { success: true, failure: false, cancelled: false }],
    ['inputs.dryRun', { success: false, failure: false, cancelled: false }],
    ["'non-empty'", { success: true, failure: false, cancelled: false }],
    // Text around ${{ }} makes a string, which is true unless empty: GitHub's well-known trap.
    ["${{ inputs.dryRun }} == 'true'", { success: true, failure: false, cancelled: false }],
    // …even a space or a block scalar's newline: "false " is a non-empty string (failure() is called, so no success() &&).
    ['${{ failure() }} ', { success: true, failure: true, cancelled: true }],
    ['${{ false }} ', { success: true, failure: false, cancelled: false }],
    ['${{ false }}\n', { success: true, failure: false, cancelled: false }],
    // GitHub folds a lone string literal while reading the file: its text is the condition.
    ["${{ 'false' }}", { success: false, failure: false, cancelled: false }],
    ["${{ '' }}", { success: true, failure: false, cancelled: false }],
    ["${{ 'always()' }}", { success: true, failure: true, cancelled: true }],
    ["${{ 'matrix.os == ''linux''' }}", { success: true, failure: false, cancelled: false }],
  ])('%j', (condition, expected) => {
    const actual = Object.fromEntries(statuses.map((status) => [status, evaluateCondition(condition, { contexts, status })]));
    expect(actual).toEqual(expected);
  });

  it('treats a missing status as success', () => {
    expect(evaluateCondition('success()', { contexts })).toBe(true);
    expect(evaluateCondition('failure()', { contexts })).toBe(false);
  });

  it.each<[string, string, number]>([
    ["matrix.os ==", 'unexpected end of expression at offset 12', 12],
    ["  ${{ matrix.os == }}", 'unexpected end of expression at offset 19', 19],
    ['${{ always() ', "unterminated '${{' (no matching '}}') at offset 0", 0],
  ])('reports %j with offsets in the condition', (condition, message, offset) => {
    expect(errorOf(() => evaluateCondition(condition, { contexts }))).toEqual({ message, offset });
  });
});

describe("a job's success('need') and failure('need') (GitHub's job-level status functions)", () => {
  const needs = { build: { result: 'success' }, test: { result: 'failure' }, lint: { result: 'skipped' } };
  it.each<[string, boolean]>([
    ["success('build')", true],
    ["success('BUILD')", true],
    ["success('build', 'test')", false],
    ["success('lint')", false],
    ["failure('test')", true],
    ["failure('build', 'test')", true],
    ["failure('build', 'lint')", false],
    ["success('nope')", false],
  ])('%s is %s', (condition, expected) => {
    expect(evaluateCondition(condition, { contexts: { needs }, status: 'failure' })).toBe(expected);
  });
});

describe('parseCondition', () => {
  const success = (at: number): ExprNode => ({ kind: 'call', name: 'success', args: [], start: at, end: at });

  it('wraps a condition without status functions in success() && (…)', () => {
    expect(parseCondition('${{ ok }}')).toEqual({
      kind: 'logical',
      operator: '&&',
      operands: [success(4), { kind: 'context', name: 'ok', start: 4, end: 6 }],
      start: 4,
      end: 6,
    });
  });

  it('keeps a condition that calls a status function as written', () => {
    expect(parseCondition('always()')).toEqual({ kind: 'call', name: 'always', args: [], start: 0, end: 8 });
  });

  it('reads an empty condition as success()', () => {
    expect(parseCondition('')).toEqual(success(0));
  });
});
