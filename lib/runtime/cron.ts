// GitHub's `on.schedule[].cron` (five POSIX fields, UTC) → an EventBridge schedule expression
// `cron(minutes hours day-of-month month day-of-week year)`. The two dialects differ in three ways
// that matter here: EventBridge numbers weekdays 1-7 from Sunday (POSIX 0-6), allows no step `/` in
// day-of-week, and needs `?` in one of the two day fields. POSIX runs on either day field when both
// are restricted; EventBridge cannot say that, so such expressions are refused with the fix.

import { cronProblem } from '../model/cron';

export type CronConversion =
  | { readonly ok: true; readonly expression: string }
  | { readonly ok: false; readonly error: string };

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  /** Names accepted instead of numbers, index + min = value. */
  readonly names?: readonly string[];
}

const MINUTE: FieldSpec = { min: 0, max: 59 };
const HOUR: FieldSpec = { min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { min: 1, max: 31 };
const MONTH: FieldSpec = {
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DAY_OF_WEEK: FieldSpec = { min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };

/** One comma-separated part of a field: `*`, `5`, `MON`, `1-5`, with an optional `/step`. */
interface Element {
  readonly from: Bound | 'any';
  readonly to?: Bound;
  readonly step?: number;
}

interface Bound {
  readonly value: number;
  /** The name as written (upper-cased) when the user wrote a name. */
  readonly name?: string;
}

export function toEventBridgeCron(cron: string): CronConversion {
  // GitHub's syntax is checked in one place (the model's validator); this file only translates.
  const problem = cronProblem(cron);
  if (problem !== undefined) return { ok: false, error: `cron '${cron}': ${problem}` };
  const fields = cron.trim().split(/\s+/).filter((field) => field !== '');
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const parsed = {
    minute: parseField(minute, MINUTE),
    hour: parseField(hour, HOUR),
    dayOfMonth: parseField(dayOfMonth, DAY_OF_MONTH),
    month: parseField(month, MONTH),
    dayOfWeek: parseField(dayOfWeek, DAY_OF_WEEK),
  };
  const anyDayOfMonth = dayOfMonth === '*';
  const anyDayOfWeek = dayOfWeek === '*';
  if (!anyDayOfMonth && !anyDayOfWeek) {
    return {
      ok: false,
      error:
        `cron '${cron}': runs when either day-of-month (${dayOfMonth}) or day-of-week (${dayOfWeek}) matches, which EventBridge ` +
        `cannot express; use two schedules, one with day-of-month '*' and one with day-of-week '*'`,
    };
  }
  const days = anyDayOfWeek
    ? [renderField(parsed.dayOfMonth, DAY_OF_MONTH), '?']
    : ['?', renderDayOfWeek(parsed.dayOfWeek)];
  const expression = `cron(${renderField(parsed.minute, MINUTE)} ${renderField(parsed.hour, HOUR)} ${days[0]} ${renderField(parsed.month, MONTH)} ${days[1]} *)`;
  return { ok: true, expression };
}

// Fields reach here already checked by cronProblem, so parsing can trust their shape.
function parseField(text: string, spec: FieldSpec): Element[] {
  return text.split(',').map((part) => {
    const [range = '', step] = part.split('/');
    const [from = '', to] = range.split('-');
    return {
      from: from === '*' ? 'any' : parseBound(from, spec),
      ...(to === undefined ? {} : { to: parseBound(to, spec) }),
      ...(step === undefined ? {} : { step: Number(step) }),
    };
  });
}

function parseBound(text: string, spec: FieldSpec): Bound {
  if (/^\d+$/.test(text)) return { value: Number(text) };
  const name = text.toUpperCase();
  return { value: (spec.names?.indexOf(name) ?? 0) + spec.min, name };
}

/** Minutes, hours, day-of-month and month keep their numbering; steps become `start/step` or a list. */
function renderField(elements: readonly Element[], spec: FieldSpec): string {
  const [only] = elements;
  // `*/n` and `a/n` mean the same in both dialects; anything else with a step is spelled out.
  if (elements.length === 1 && only?.step !== undefined && only.to === undefined) {
    const start = only.from === 'any' ? spec.min : only.from.value;
    return `${start}/${only.step}`;
  }
  if (elements.some((element) => element.step !== undefined)) return expand(elements, spec).join(',');
  return elements.map((element) => renderPlain(element, (bound) => bound.name ?? String(bound.value))).join(',');
}

/** Day-of-week shifts to EventBridge's 1-7 numbering; names stay as they are; steps are spelled out. */
function renderDayOfWeek(elements: readonly Element[]): string {
  if (elements.some((element) => element.step !== undefined)) {
    return expand(elements, DAY_OF_WEEK)
      .map((day) => day + 1)
      .join(',');
  }
  return elements.map((element) => renderPlain(element, (bound) => bound.name ?? String(bound.value + 1))).join(',');
}

function renderPlain(element: Element, bound: (value: Bound) => string): string {
  if (element.from === 'any') return '*';
  return element.to === undefined ? bound(element.from) : `${bound(element.from)}-${bound(element.to)}`;
}

/** Every value the elements select, ascending and without repeats. */
function expand(elements: readonly Element[], spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const element of elements) {
    const start = element.from === 'any' ? spec.min : element.from.value;
    const end = element.to?.value ?? (element.from === 'any' || element.step !== undefined ? spec.max : start);
    for (let value = start; value <= end; value += element.step ?? 1) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}
