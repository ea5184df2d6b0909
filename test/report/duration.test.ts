import { describe, expect, it } from 'vitest';
import { formatDuration, formatOffset } from '../../lib/report/duration';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [999.4, '999ms'],
    [1000, '1.0s'],
    [3249, '3.2s'],
    [3250, '3.3s'],
    [59_949, '59.9s'],
    [59_950, '1m 00s'],
    [65_000, '1m 05s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [7_380_000, '2h 03m'],
    [-5, '0ms'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatOffset (axis labels)', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1500, '1.5s'],
    [45_000, '45s'],
    [60_000, '1m'],
    [90_000, '1m 30s'],
    [3_600_000, '1h'],
    [3_660_000, '1h 1m'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatOffset(ms)).toBe(text);
  });
});
