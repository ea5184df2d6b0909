import { describe, expect, it } from 'vitest';
import { loadWorkflowText } from '../../lib/model/load';

const workflow = (type: string, script: string) =>
  `on:\n  workflow_dispatch:\n    inputs:\n      s:\n        type: ${type}\njobs:\n  build:\n    steps:\n      - run: ${script}\n`;

describe('expressions in bash arithmetic', () => {
  it('refuses a string input in $(( )), naming the place, the context and the safe form', () => {
    const result = loadWorkflowText(workflow('string', "'echo $(( ${{ inputs.s }} + 1 ))'"), 'w.yml');
    expect(result.workflow).toBeUndefined();
    expect(result.problems.map((p) => [p.code, `${p.location.file}:${p.location.line}:${p.location.column}`, p.message])).toEqual([
      [
        'expression-in-shell-arithmetic',
        'w.yml:9:24',
        'jobs.build.steps[0].run: ${{ inputs.s }} is used in an arithmetic expansion $(( )), where bash evaluates the value as code ' +
          '(a value like a[$(cmd)] runs cmd); pass a number: declare the input as type: number, or set it through env: and check it first ' +
          '(env: { N: ${{ … }} } with [[ $N =~ ^-?[0-9]+$ ]] || exit 1 before $(( N + 1 )))',
      ],
    ]);
  });

  it.each([
    ['(( ))', "'(( ${{ inputs.s }} > 1 ))'"],
    ['let', "'let x=${{ inputs.s }}'"],
    ['[[ -eq ]]', "'[[ ${{ inputs.s }} -eq 1 ]]'"],
    ['array subscript', "'echo ${a[${{ inputs.s }}]}'"],
    ['substring offset', "'echo ${v:${{ inputs.s }}}'"],
  ])('refuses a string input in %s', (_context, script) => {
    expect(loadWorkflowText(workflow('string', script), 'w.yml').problems.map((p) => p.code)).toEqual(['expression-in-shell-arithmetic']);
  });

  it('accepts a type: number input and a number literal there, and any value outside arithmetic', () => {
    expect(loadWorkflowText(workflow('number', "'echo $(( ${{ inputs.s }} + ${{ 2 }} ))'"), 'w.yml').problems).toEqual([]);
    expect(loadWorkflowText(workflow('string', `'[ "\${{ inputs.s }}" -eq 1 ] && echo "\${{ inputs.s }}"'`), 'w.yml').problems).toEqual([]);
  });
});
