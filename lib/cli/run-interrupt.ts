// Ctrl-C during `stepdeploy run`, as GitHub cancels a run: the first one cancels it — running steps
// are stopped and jobs not started yet are skipped, but the jobs and steps whose `if:` calls always()
// or cancelled() still run (lib/runtime/runners/cancel.ts) — and a second one stops the execution
// for real. A workflow with no such job or step is stopped at once: nothing would run after a cancel.

import type { CliIo } from './io';

export interface Interrupts {
  /** Whether Ctrl-C was pressed at all (the run then exits 130). */
  readonly interrupted: () => boolean;
  /** The handler for SIGINT. */
  readonly onSignal: () => void;
}

export function runInterrupts(options: {
  readonly io: CliIo;
  readonly cancellable: boolean;
  /** Records the cancel (lib/runtime/runners/cancel.ts requestCancel, bound to the run's table and execution). */
  readonly requestCancel: (reason: string) => Promise<unknown>;
  readonly stop: (reason: { error: string; cause: string }) => Promise<unknown>;
}): Interrupts {
  const { io } = options;
  let presses = 0;
  const stop = (cause: string): void => {
    void options.stop({ error: 'Cancelled', cause }).catch(() => undefined);
  };
  return {
    interrupted: () => presses > 0,
    onSignal() {
      presses++;
      if (presses === 1 && options.cancellable) {
        io.stderr('\nstepdeploy run: cancelling the run (Ctrl-C): jobs and steps whose if: calls always() or cancelled() still run; Ctrl-C again stops them\n');
        options.requestCancel('cancelled by the user (Ctrl-C)').catch((error: unknown) => {
          io.stderr(`stepdeploy run: the cancel could not be recorded (${(error as Error).message}); stopping the execution\n`);
          stop('interrupted by the user (Ctrl-C)');
        });
        return;
      }
      if (presses === 1) {
        io.stderr('\nstepdeploy run: stopping the execution (Ctrl-C)…\n');
        stop('interrupted by the user (Ctrl-C)');
        return;
      }
      // A second Ctrl-C after a cancel stops what still runs; more change nothing (the stop reaches everything).
      if (presses === 2 && options.cancellable) {
        io.stderr('\nstepdeploy run: stopping the execution (second Ctrl-C)…\n');
        stop('stopped by the user (second Ctrl-C)');
      }
    },
  };
}
