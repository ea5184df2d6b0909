import { describe, expect, test } from 'vitest';
import { parseBuildspec } from '../../lib/local/buildspec';

describe('parseBuildspec', () => {
  test('reads variables, exported variables and phase commands in phase order', () => {
    const spec = parseBuildspec(
      ['version: 0.2', 'env:', '  shell: bash', '  variables: { A: 1, B: text }', '  exported-variables: [OUT]', 'phases:', '  post_build: { commands: [echo post] }', '  build:', '    commands:', '      - echo one', '      - |', '        echo two', '        echo three'].join('\n'),
    );
    expect(spec).toEqual({
      variables: { A: '1', B: 'text' },
      exportedVariables: ['OUT'],
      phases: [
        { name: 'build', commands: ['echo one', 'echo two\necho three\n'] },
        { name: 'post_build', commands: ['echo post'] },
      ],
    });
  });

  test.each([
    ['version: 0.1\nphases: {}', 'buildspec version: expected 0.2, got 0.1'],
    ['version: 0.2\nenv: { parameter-store: { X: /x } }\nphases: {}', 'buildspec env.parameter-store: not supported by the local engine'],
    ['version: 0.2\nenv: { shell: sh }\nphases: {}', 'buildspec env.shell: only bash runs locally, got "sh"'],
    ['version: 0.2\nenv: { exported-variables: ["A B"] }\nphases: {}', 'buildspec env.exported-variables[0]: "A B" is not a variable name'],
    ['version: 0.2\nphases: { build: { commands: [x], finally: [y] } }', 'buildspec phases.build.finally: not supported by the local engine'],
    ['version: 0.2\nartifacts: { files: [a] }\nphases: {}', 'buildspec artifacts: not supported by the local engine'],
  ])('refuses %j', (text, message) => {
    expect(() => parseBuildspec(text)).toThrow(message);
  });
});
