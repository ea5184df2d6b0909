// What every local task handler knows about the task it runs.

export interface TaskContext {
  /** The Task state's name (error messages name it). */
  readonly stateName: string;
  readonly executionArn: string;
  readonly executionName: string;
  /** Aborted when the task times out or its execution stops: stop the work, kill what it started. */
  readonly signal: AbortSignal;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The task's Parameters after the library resolved paths: always an object for our resources. */
export function parametersOf(input: unknown): Record<string, unknown> {
  return isRecord(input) ? input : {};
}

/** Settles with `work`, or rejects as soon as `signal` aborts (in-process work cannot be killed). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
