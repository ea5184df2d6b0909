import { describe, expect, it } from 'vitest';
import { causeText } from '../../lib/runner/callbacks';
import { LogMasker } from '../../lib/runner/masker';

describe('the log masker', () => {
  it('masks every registered value, the longest first, line by line for multi-line values', () => {
    const masker = new LogMasker();
    masker.add('abc');
    masker.add('abcdef');
    masker.add('first line\nsecond line');
    expect(masker.mask('x abcdef y abc')).toBe('x *** y ***');
    expect(masker.mask('second line here')).toBe('*** here');
  });

  it('ignores blank values, which would mask everything', () => {
    const masker = new LogMasker();
    masker.add('  ');
    expect(masker.mask('a b')).toBe('a b');
  });
});

describe('a failure cause', () => {
  it('fits SendTaskFailure: the summary goes first, then the oldest lines', () => {
    const lines = Array.from({ length: 50 }, (_, index) => `${index}:${'x'.repeat(900)}`);
    const text = causeText({ exitCode: 1, lastLines: lines, log: '/tmp/log', summary: 'y'.repeat(16_000) });
    expect(text.length).toBeLessThanOrEqual(32_000);
    const parsed = JSON.parse(text) as { lastLines: string[]; summary?: string };
    expect(parsed.summary).toBeUndefined();
    expect(parsed.lastLines.at(-1)).toBe(lines.at(-1));
    expect(parsed.lastLines.length).toBeLessThan(50);
  });
});
