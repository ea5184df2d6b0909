// The name of a step's log file (docs/architecture.md, "Progress, step logs and failures"): the runner
// writes it, `stepdeploy run` streams it and labels its lines. The name says which cell wrote it —
// `<state>@<cell>` — so a reader never guesses the cell from the order files appear in (runners of
// a matrix come up, and poll, in any order):
//   `<state>.log`, `<state>.2.log`, …            a job without a matrix: attempts 1, 2, …
//   `<state>@<cell>.log`, `<state>@<cell>.2.log`  the matrix cell with that index (`$.cell`)
// `<state>` is the step's state name made file-safe (`[^A-Za-z0-9._-]+` → `_`), so `@` never occurs in it.

/** A state name as it can stand in a file name. */
export const fileSafeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '_');

/** The step state and cell a log file belongs to, without the attempt: what a reader keys lines by. */
export const stepLogKey = (state: string, cell: number | undefined): string => (cell === undefined ? fileSafeName(state) : `${fileSafeName(state)}@${cell}`);

/** `deploy.apply: run`, cell 1, attempt 2 → `deploy.apply_run@1.2.log`. */
export function stepLogFileName(state: string, cell: number | undefined, attempt: number): string {
  return `${stepLogKey(state, cell)}${attempt === 1 ? '' : `.${attempt}`}.log`;
}

export interface StepLogName {
  /** `stepLogKey` of the file: the file-safe state and the cell. */
  readonly key: string;
  readonly state: string;
  readonly cell?: number;
  readonly attempt: number;
}

/** Reads a log file's name back; undefined for a file that is not a step log. */
export function parseStepLogFileName(fileName: string): StepLogName | undefined {
  const match = /^([A-Za-z0-9._-]+?)(?:@(\d+))?(?:\.(\d+))?\.log$/.exec(fileName);
  if (!match) return undefined;
  const state = match[1]!;
  const cell = match[2] === undefined ? undefined : Number(match[2]);
  return { key: stepLogKey(state, cell), state, ...(cell === undefined ? {} : { cell }), attempt: match[3] === undefined ? 1 : Number(match[3]) };
}
