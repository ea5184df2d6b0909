import type { LibraryEvent } from './history';

/** Step Functions' limit on a state's input or output (and on the execution's input), in UTF-8 bytes. */
export const PAYLOAD_LIMIT_BYTES = 262_144;

export interface PayloadLimitFailure {
  readonly error: string;
  readonly cause: string;
}

/**
 * The error AWS ends an execution with when a payload passes 256 KiB (States.ALL does not catch it),
 * or undefined. The library does not check this limit, so the engine does (state inputs and outputs,
 * and each task's effective input), so that a run that would fail in AWS fails locally too.
 */
export function payloadLimitFailure(stateName: string, what: string, value: unknown): PayloadLimitFailure | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
  if (bytes <= PAYLOAD_LIMIT_BYTES) return undefined;
  return {
    error: 'States.DataLimitExceeded',
    cause: `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit: its ${what} is ${bytes} bytes (the limit is ${PAYLOAD_LIMIT_BYTES}).`,
  };
}

/** payloadLimitFailure for a state entered (its input) or exited (its output). */
export function payloadLimitError(event: LibraryEvent): PayloadLimitFailure | undefined {
  const state = event.state;
  if (state === undefined) return undefined;
  if (event.type === 'StateEntered') return payloadLimitFailure(state.name, 'input', state.input);
  if (event.type === 'StateExited') return payloadLimitFailure(state.name, 'output', state.output);
  return undefined;
}
