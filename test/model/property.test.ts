import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { loadWorkflowText } from '../../lib/model/load';

// Whatever the text, loading never throws and every problem is well-formed.
const file = 'fuzz.yml';
const examplesDir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.yml'))
  .sort()
  .map((name) => readFileSync(join(examplesDir, name), 'utf8'));

function assertWellFormed(text: string): void {
  const result = loadWorkflowText(text, file);
  for (const problem of result.problems) {
    expect(problem.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(problem.location.file).toBe(file);
    expect(problem.location.line).toBeGreaterThanOrEqual(1);
    expect(problem.location.column).toBeGreaterThanOrEqual(1);
    expect(problem.message.length).toBeGreaterThan(0);
  }
  expect(result.workflow === undefined).toBe(result.problems.length > 0);
}

/** Every map/seq node of a document, so a mutation can pick one. */
function collections(doc: Document): (YAMLMap | YAMLSeq)[] {
  const found: (YAMLMap | YAMLSeq)[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      found.push(node);
      for (const pair of node.items) visit(pair.value);
    } else if (isSeq(node)) {
      found.push(node);
      for (const item of node.items) visit(item);
    }
  };
  visit(doc.contents);
  return found;
}

const replacementValues = [null, 0, -1, 1.5, 'text', '${{ ', '${{ matrix.x }}', true, [], {}, ['a', 1], { run: 'echo' }];

type Mutation =
  | { kind: 'delete'; at: number; item: number }
  | { kind: 'rename'; at: number; item: number; name: string }
  | { kind: 'retype'; at: number; item: number; value: number }
  | { kind: 'truncate'; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), item: fc.nat() }),
  fc.record({
    kind: fc.constant('rename' as const),
    at: fc.nat(),
    item: fc.nat(),
    name: fc.oneof(fc.constantFrom('needs', 'steps', 'runs-on', 'matrix', 'on', 'id', 'include', 'if'), fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), item: fc.nat(), value: fc.nat(replacementValues.length - 1) }),
  fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  let current = text;
  for (const change of mutations) {
    if (change.kind === 'truncate') {
      current = current.slice(0, change.length % (current.length + 1));
      continue;
    }
    const doc = parseDocument(current);
    if (doc.errors.length > 0) continue; // already broken by a truncation: leave it as it is
    const nodes = collections(doc);
    const target = nodes[change.at % Math.max(1, nodes.length)];
    if (!target || target.items.length === 0) continue;
    const index = change.item % target.items.length;
    if (change.kind === 'delete') target.items.splice(index, 1);
    else if (change.kind === 'rename' && isMap(target)) {
      const pair = target.items[index];
      if (pair) pair.key = doc.createNode(change.name);
    } else if (change.kind === 'retype') {
      const value = doc.createNode(replacementValues[change.value]);
      if (isMap(target)) (target.items[index] as { value: unknown }).value = value;
      else target.items[index] = value;
    }
    current = doc.toString();
  }
  return current;
}

describe('loadWorkflowText on hostile input', () => {
  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => assertWellFormed(text)), { numRuns: 300 });
  });

  it('never throws on random YAML values', () => {
    const yamlValue = fc.jsonValue({ maxDepth: 5 }).map((value) => new Document(value).toString());
    fc.assert(fc.property(yamlValue, (text) => assertWellFormed(text)), { numRuns: 300 });
  });

  it('never throws on mutated examples (deleted and renamed keys, swapped value types, truncated text)', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([text, mutations]) => mutate(text, mutations));
    fc.assert(fc.property(mutated, (text) => assertWellFormed(text)), { numRuns: 400 });
  });

  it('never throws on random workflow-shaped documents', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('${{ inputs.x }}', '${{ steps.a.outputs.b }}', '${{ matrix.os', 'always()'));
    const stepArb = fc.dictionary(fc.constantFrom('id', 'run', 'uses', 'with', 'if', 'parallel', 'retry', 'shell', 'env', 'timeout-minutes', 'foo'), scalar);
    const jobArb = fc.record(
      { needs: fc.oneof(fc.string({ maxLength: 4 }), fc.array(fc.constantFrom('a', 'b', 'c'))), steps: fc.array(stepArb, { maxLength: 3 }), strategy: fc.anything({ maxDepth: 2 }) },
      { requiredKeys: [] },
    );
    const workflowArb = fc.record({ on: fc.oneof(scalar, fc.array(scalar)), jobs: fc.dictionary(fc.constantFrom('a', 'b', 'c', '1x'), jobArb) }, { requiredKeys: [] });
    fc.assert(fc.property(workflowArb, (value) => assertWellFormed(new Document(value).toString())), { numRuns: 300 });
  });
});
