import { describe, expect, it } from 'vitest';
import { placeScriptExpressions } from '../../lib/model/shell-quoting';

const contexts = (script: string) => placeScriptExpressions(script).map((placed) => `${placed.source.trim()}:${placed.context}`);

describe('where expressions sit in a bash script', () => {
  it.each([
    ['echo ${{ a }}', ['a:plain']],
    ['echo "x ${{ a }} y"', ['a:plain']],
    ["echo 'x ${{ a }} y'", ['a:single-quoted']],
    ['echo "it\'s ${{ a }}"', ['a:plain']],
    [`echo 'a' "\${{ b }}" '\${{ c }}'`, ['b:plain', 'c:single-quoted']],
    ["echo \\'${{ a }}", ['a:plain']],
    ["# it's a comment\necho ${{ a }}", ['a:plain']],
    ['cat <<EOF\n${{ a }}\nEOF\necho ${{ b }}', ['a:plain', 'b:plain']],
    ["cat <<'EOF'\n${{ a }}\nEOF\necho ${{ b }}", ['a:quoted-heredoc', 'b:plain']],
    ['cat <<"EOF" > out\n${{ a }}\nEOF', ['a:quoted-heredoc']],
    ['cat <<\\EOF\n${{ a }}\nEOF', ['a:quoted-heredoc']],
    ["cat <<-'EOF'\n\t${{ a }}\n\tEOF\necho '${{ b }}'", ['a:quoted-heredoc', 'b:single-quoted']],
    ["cat <<<'${{ a }}'", ['a:single-quoted']],
    ["cat <<A <<'B'\n${{ a }}\nA\n${{ b }}\nB", ['a:plain', 'b:quoted-heredoc']],
  ])('%s', (script, expected) => {
    expect(contexts(script)).toEqual(expected);
  });
});

const arithmetic = (script: string) => placeScriptExpressions(script).map((placed) => `${placed.source.trim()}:${placed.arithmetic ?? '-'}`);

describe('where bash evaluates a value as arithmetic (and runs a command substitution hidden in it)', () => {
  it.each([
    ['echo $(( ${{ a }} + 1 ))', ['a:$(( ))']],
    ['echo "$(( ${{ a }} * 2 ))"', ['a:$(( ))']],
    ['echo $(( (${{ a }} + 1) * 2 )) ${{ b }}', ['a:$(( ))', 'b:-']],
    ['(( ${{ a }} > 1 )) && echo big', ['a:(( ))']],
    ['if (( ${{ a }} )); then echo ${{ b }}; fi', ['a:(( ))', 'b:-']],
    ['let x=${{ a }}+1; echo ${{ b }}', ['a:let', 'b:-']],
    ['let "x = ${{ a }}"\necho ${{ b }}', ['a:let', 'b:-']],
    ['[[ ${{ a }} -eq 1 ]]', ['a:[[ -eq ]]']],
    ['[[ 1 -lt "${{ a }}" ]]', ['a:[[ -eq ]]']],
    ['[[ "${{ a }}" == x && ${{ b }} -ge 2 ]]', ['a:-', 'b:[[ -eq ]]']],
    ['echo ${arr[${{ a }}]}', ['a:array subscript']],
    ['arr[${{ a }}]=x', ['a:array subscript']],
    ['echo "${s:${{ a }}:2}"', ['a:substring offset']],
    // Data, not arithmetic:
    ['echo ${{ a }}', ['a:-']],
    ['[ "${{ a }}" -eq 1 ]', ['a:-']],
    ['[[ "${{ a }}" == "${{ b }}" ]]', ['a:-', 'b:-']],
    ['echo "${s:-${{ a }}}"', ['a:-']],
    ["echo '$(( ${{ a }} ))'", ['a:-']],
    ['echo $(( 1 + 1 )) ${{ a }}', ['a:-']],
    ['echo let ${{ a }}', ['a:-']],
    ['echo $( (cd x && ls) ) ${{ a }}', ['a:-']],
  ])('%s', (script, expected) => {
    expect(arithmetic(script)).toEqual(expected);
  });
});
