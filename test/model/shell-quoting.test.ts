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
