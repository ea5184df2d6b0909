import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../lib/model/cron';

describe('cronProblem (GitHub schedule syntax)', () => {
  it.each(['* * * * *', '*/15 9-17 * * MON-FRI', '0 0 1,15 * *', '30 5 * JAN,jul sun', '0-59/5 0 31 12 6', '5 4 * * 0-6'])(
    'accepts %s',
    (cron) => {
      expect(cronProblem(cron)).toBeUndefined();
    },
  );

  it.each([
    ['0 0 * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['0 0 0 * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['60 * * * *', "minute field '60': '60' is not a value from 0 to 59"],
    ['0 24 * * *', "hour field '24': '24' is not a value from 0 to 23"],
    ['0 0 0 * *', "day of month field '0': '0' is not a value from 1 to 31"],
    ['0 0 * 13 *', "month field '13': '13' is not a value from 1 to 12 or JAN-DEC"],
    ['0 0 * * 7', "day of week field '7': '7' is not a value from 0 to 6 or SUN-SAT"],
    ['0 0 ? * MON', "day of month field '?': '?' is not a value from 1 to 31"],
    ['0 0 * * MON#2', "day of week field 'MON#2': 'MON#2' is not a value from 0 to 6 or SUN-SAT"],
    ['*/0 * * * *', "minute field '*/0': step '0' must be a whole number of at least 1"],
    ['0 17-9 * * *', "hour field '17-9': range '17-9' runs backwards"],
    ['0 1-2-3 * * *', "hour field '1-2-3': '1-2-3' is not a value or a range a-b"],
    ['0 0/5/2 * * *', "hour field '0/5/2': '0/5/2' has more than one '/'"],
  ])('rejects %s: %s', (cron, problem) => {
    expect(cronProblem(cron)).toBe(problem);
  });
});
