import { describe, expect, it } from 'vitest';
import { toEventBridgeCron } from '../../lib/runtime/cron';

describe('toEventBridgeCron', () => {
  it.each([
    ['every minute', '* * * * *', 'cron(* * * * ? *)'],
    ['every 15 minutes', '*/15 * * * *', 'cron(0/15 * * * ? *)'],
    ['daily at 05:30 UTC', '30 5 * * *', 'cron(30 5 * * ? *)'],
    ['on the 1st of the month', '0 0 1 * *', 'cron(0 0 1 * ? *)'],
    ['every other day of the month', '0 0 */2 * *', 'cron(0 0 1/2 * ? *)'],
    ['weekdays by number (Sun=0 becomes Sun=1)', '0 9 * * 1-5', 'cron(0 9 ? * 2-6 *)'],
    ['Sunday', '0 9 * * 0', 'cron(0 9 ? * 1 *)'],
    ['Saturday', '0 9 * * 6', 'cron(0 9 ? * 7 *)'],
    ['a weekday list', '0 9 * * 0,3,6', 'cron(0 9 ? * 1,4,7 *)'],
    ['weekday names kept', '0 9 * * MON-FRI', 'cron(0 9 ? * MON-FRI *)'],
    ['lower-case names upper-cased', '0 9 * jan,jul sun', 'cron(0 9 ? JAN,JUL SUN *)'],
    ['a name and a number in one range', '0 9 * * MON-5', 'cron(0 9 ? * MON-6 *)'],
    ['month names kept', '0 0 1 JAN-MAR *', 'cron(0 0 1 JAN-MAR ? *)'],
    ['weekday steps spelled out (EventBridge has no / there)', '0 0 * * */2', 'cron(0 0 ? * 1,3,5,7 *)'],
    ['a weekday range with a step', '0 0 * * 1-5/2', 'cron(0 0 ? * 2,4,6 *)'],
    ['a stepped range spelled out', '10-30/10 * * * *', 'cron(10,20,30 * * * ? *)'],
    ['a step from a start value', '5/20 * * * *', 'cron(5/20 * * * ? *)'],
    ['a step inside a list spelled out', '0,30/15 * * * *', 'cron(0,30,45 * * * ? *)'],
    ['hour ranges and lists', '0 8-18/2,23 * * *', 'cron(0 8,10,12,14,16,18,23 * * ? *)'],
    ['extra spaces', '  0   12  *  *  * ', 'cron(0 12 * * ? *)'],
  ])('%s: %s → %s', (_case, cron, expression) => {
    expect(toEventBridgeCron(cron)).toEqual({ ok: true, expression });
  });

  it('refuses a restricted day-of-month together with a restricted day-of-week, naming the fix', () => {
    expect(toEventBridgeCron('0 0 1 * 1')).toEqual({
      ok: false,
      error:
        "cron '0 0 1 * 1': runs when either day-of-month (1) or day-of-week (1) matches, which EventBridge cannot express; " +
        "use two schedules, one with day-of-month '*' and one with day-of-week '*'",
    });
  });

  it.each([
    ['0 0 * *', "cron '0 0 * *': expected 5 fields (minute hour day-of-month month day-of-week), got 4"],
    ['60 * * * *', "cron '60 * * * *': minute field '60': '60' is not a value from 0 to 59"],
    ['0 0 * * 7', "cron '0 0 * * 7': day of week field '7': '7' is not a value from 0 to 6 or SUN-SAT"],
    ['0 0 ? * MON', "cron '0 0 ? * MON': day of month field '?': '?' is not a value from 1 to 31"],
    ['*/0 * * * *', "cron '*/0 * * * *': minute field '*/0': step '0' must be a whole number of at least 1"],
  ])('refuses what GitHub refuses: %s', (cron, error) => {
    expect(toEventBridgeCron(cron)).toEqual({ ok: false, error });
  });
});
