import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateTemplate, hasExpression, parseTemplate, scanTemplate, type TemplatePart } from '../../lib/expressions';
import { errorOf } from './helpers';

describe('scanTemplate', () => {
  it('splits text and expressions, with offsets in the template', () => {
    expect(scanTemplate('a ${{ x }} b')).toEqual([
      { kind: 'text', text: 'a ', start: 0 },
      { kind: 'expr', source: ' x ', start: 2, end: 10 },
      { kind: 'text', text: ' b', start: 10 },
    ]);
  });

  it.each<[string, TemplatePart[]]>([
    ['', []],
    ['plain text', [{ kind: 'text', text: 'plain text', start: 0 }]],
    ['${{x}}', [{ kind: 'expr', source: 'x', start: 0, end: 6 }]],
    [
      '${{ a }}${{ b }}',
      [
        { kind: 'expr', source: ' a ', start: 0, end: 8 },
        { kind: 'expr', source: ' b ', start: 8, end: 16 },
      ],
    ],
    ["${{ format('{{0}}', x) }}", [{ kind: 'expr', source: " format('{{0}}', x) ", start: 0, end: 25 }]],
    ["${{ 'it''s }}' }}", [{ kind: 'expr', source: " 'it''s }}' ", start: 0, end: 17 }]],
    ['$ { } }} {{ $x', [{ kind: 'text', text: '$ { } }} {{ $x', start: 0 }]],
  ])('%j', (template, parts) => {
    expect(scanTemplate(template)).toEqual(parts);
  });

  it.each<[string, number]>([
    ['abc ${{ x', 4],
    ['${{ a }} and ${{ b }', 13],
    ["${{ 'unclosed }} }}", 0],
  ])('an unterminated ${{ in %j is an error at its offset', (template, offset) => {
    expect(errorOf(() => scanTemplate(template))).toEqual({
      message: `unterminated '\${{' (no matching '}}') at offset ${offset}`,
      offset,
    });
  });

  it('puts the template back together from its parts', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '{', '}', '\n', 'é') });
    const expression = fc.string({ unit: fc.constantFrom('x', ' ', '.', '(', ')', '=') });
    const piece = fc.oneof(text, expression.map((source) => `\${{${source}}}`));
    fc.assert(
      fc.property(fc.array(piece), (pieces) => {
        const template = pieces.join('');
        const rebuilt = scanTemplate(template)
          .map((part) => (part.kind === 'text' ? part.text : `\${{${part.source}}}`))
          .join('');
        expect(rebuilt).toBe(template);
      }),
    );
  });
});

describe('hasExpression', () => {
  it.each<[string, boolean]>([
    ['${{ x }}', true],
    ['a ${{', true],
    ['plain', false],
    ['${ x }', false],
    ['{{ x }}', false],
  ])('%j → %s', (template, expected) => {
    expect(hasExpression(template)).toBe(expected);
  });
});

describe('evaluateTemplate', () => {
  const config = { replicas: 3 };
  const ctx = { contexts: { inputs: { count: 3, ok: true, config, name: 'api', nothing: null } } };

  it.each<[string, unknown]>([
    ['${{ inputs.count }}', 3],
    ['${{inputs.ok}}', true],
    ['${{ inputs.nothing }}', null],
    ['${{ inputs.config }}', config],
    ['${{ 1.50 }}', 1.5],
    ['plain', 'plain'],
    ['', ''],
    ['n=${{ inputs.count }}', 'n=3'],
    [' ${{ inputs.count }}', ' 3'],
    ['${{ inputs.count }}\n', '3\n'],
    ['${{ inputs.ok }}${{ 1.50 }}', 'true1.5'],
    ['a${{ inputs.nothing }}b', 'ab'],
    ['cfg: ${{ inputs.config }} ${{ inputs.config.* }}', 'cfg: Object Array'],
    ['{0} ${{ inputs.name }} {{ }}', '{0} api {{ }}'],
    ["deploy-${{ inputs.name }}-${{ format('{0}', 'x') }}", 'deploy-api-x'],
  ])('%j → %o', (template, expected) => {
    expect(evaluateTemplate(template, ctx)).toEqual(expected);
  });

  it('keeps the identity of a sole expression’s value', () => {
    expect(evaluateTemplate('${{ inputs.config }}', ctx)).toBe(config);
  });

  it.each<[string, string, number]>([
    ['abc ${{ a == }}', 'unexpected end of expression at offset 13', 13],
    ['x ${{ }} y', 'empty expression at offset 5', 5],
    ['${{ 1 }} ${{ contians(a, b) }}', "unknown function 'contians' — did you mean 'contains'?", 13],
    ["x ${{ fromJSON('nope') }}", "fromJSON(): the argument is not valid JSON: 'nope'", 6],
  ])('reports %j with offsets in the template', (template, message, offset) => {
    expect(errorOf(() => evaluateTemplate(template, ctx))).toEqual({ message, offset });
  });
});

describe('parseTemplate', () => {
  it('is the expression itself for a sole ${{ }}, with template offsets', () => {
    expect(parseTemplate('${{ matrix }}')).toEqual({ kind: 'context', name: 'matrix', start: 4, end: 10 });
  });

  it('is a format() call when text surrounds expressions, as GitHub interpolates', () => {
    expect(parseTemplate('{x} ${{ a }}!')).toEqual({
      kind: 'call',
      name: 'format',
      args: [
        { kind: 'literal', value: '{{x}} {0}!', start: 0, end: 13 },
        { kind: 'context', name: 'a', start: 8, end: 9 },
      ],
      start: 0,
      end: 13,
    });
  });
});
