import { describe, expect, it } from 'vitest';
import { parseCondition, parseExpression, parseTemplate, referencedContexts } from '../../lib/expressions';

const refs = (node: Parameters<typeof referencedContexts>[0]) => {
  const { contexts, statusFunctions } = referencedContexts(node);
  return { contexts: [...contexts].sort(), statusFunctions: [...statusFunctions].sort() };
};

describe('referencedContexts', () => {
  it.each<[string, string[], string[]]>([
    ["matrix.os == 'linux'", ['matrix'], []],
    ['Matrix.OS && INPUTS.env', ['inputs', 'matrix'], []],
    ["format('{0}-{1}', inputs.app, steps.build.outputs.tag)", ['inputs', 'steps'], []],
    ['needs.*.result', ['needs'], []],
    ['env[inputs.key]', ['env', 'inputs'], []],
    ['!(event.ref || execution.name)', ['event', 'execution'], []],
    ['always() && failure()', [], ['always', 'failure']],
    ['!CANCELLED()', [], ['cancelled']],
    ["'matrix.os' == null", [], []],
    ['a.matrix.inputs', ['a'], []],
  ])('%s reads %j and calls %j', (source, contexts, statusFunctions) => {
    expect(refs(parseExpression(source))).toEqual({ contexts, statusFunctions });
  });

  it('covers every part of a template', () => {
    expect(refs(parseTemplate('deploy-${{ inputs.app }}-${{ matrix.region }}'))).toEqual({
      contexts: ['inputs', 'matrix'],
      statusFunctions: [],
    });
  });

  it('sees the implicit success() of a condition', () => {
    expect(refs(parseCondition("inputs.env == 'prod'"))).toEqual({ contexts: ['inputs'], statusFunctions: ['success'] });
  });
});
