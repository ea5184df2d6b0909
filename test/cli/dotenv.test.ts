import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../lib/cli/dotenv';

describe('dotenv files (--secret-file, --var-file)', () => {
  it('reads plain, exported, quoted and multi-line values, skipping comments', () => {
    const { values, error } = parseDotenv(
      ['# comment', '', 'A=plain # trailing', 'export B=2', `C='single #not a comment'`, 'D="tab\\tquote\\" end"', 'E="line 1', 'line 2"', 'F='].join('\n'),
    );
    expect(error).toBeUndefined();
    expect(Object.fromEntries(values)).toEqual({ A: 'plain', B: '2', C: 'single #not a comment', D: 'tab\tquote" end', E: 'line 1\nline 2', F: '' });
  });

  it('names the line that is not NAME=VALUE, and an unclosed quote', () => {
    expect(parseDotenv('A=1\njust words\n').error).toBe('line 2 is not NAME=VALUE');
    expect(parseDotenv('A="open\n').error).toBe('line 2: the value of A has no closing "');
  });
});
