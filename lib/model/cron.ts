// GitHub's schedule syntax: five POSIX cron fields (minute hour day-of-month month day-of-week) with
// `*`, `,`, `-` and `/`, and JAN–DEC / SUN–SAT names; nothing else (no `?`, `L`, `W`, `#`, seconds).

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const fields: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Why a cron expression is invalid, or undefined when GitHub would accept it. */
export function cronProblem(cron: string): string | undefined {
  const parts = cron.trim().split(/\s+/).filter((part) => part !== '');
  if (parts.length !== fields.length) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  }
  for (const [index, part] of parts.entries()) {
    const field = fields[index] as Field;
    for (const item of part.split(',')) {
      const problem = itemProblem(item, field);
      if (problem !== undefined) return `${field.name} field '${part}': ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, field: Field): string | undefined {
  const [range = '', step, ...extra] = item.split('/');
  if (extra.length > 0) return `'${item}' has more than one '/'`;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) {
    return `step '${step}' must be a whole number of at least 1`;
  }
  if (range === '*') return undefined;
  const [low = '', high, ...more] = range.split('-');
  if (more.length > 0) return `'${range}' is not a value or a range a-b`;
  const lowValue = value(low, field);
  if (lowValue === undefined) return valueProblem(low, field);
  if (high === undefined) return undefined;
  const highValue = value(high, field);
  if (highValue === undefined) return valueProblem(high, field);
  if (lowValue > highValue) return `range '${range}' runs backwards`;
  return undefined;
}

function value(text: string, field: Field): number | undefined {
  const byName = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (byName >= 0) return field.min + byName;
  if (!/^\d+$/.test(text)) return undefined;
  const number = Number(text);
  return number >= field.min && number <= field.max ? number : undefined;
}

function valueProblem(text: string, field: Field): string {
  const names = field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : '';
  return `'${text}' is not a value from ${field.min} to ${field.max}${names}`;
}
