import type { LibraryEvent } from './history';

/** Step Functions' limit on a state's input or output (and on the execution's input), in UTF-8 bytes. */
export const PAYLOAD_LIMIT_BYTES = 262_144;

/**
 * The error AWS ends an execution with when a state's input or output passes 256 KiB (States.ALL
 * does not catch it), or undefined. The library does not check this limit, so the engine does, so
 * that a run that would fail in AWS fails locally too.
 */
export function payloadLimitError(event: LibraryEvent): { error: string; cause: string } | undefined {
  const state = event.state;
  if (state === undefined) return undefined;
  const [what, value] = event.type === 'StateEntered' ? ['input', state.input] : event.type === 'StateExited' ? ['output', state.output] : [undefined, undefined];
  if (what === undefined) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
  if (bytes <= PAYLOAD_LIMIT_BYTES) return undefined;
  return {
    error: 'States.DataLimitExceeded',
    cause: `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit: its ${what} is ${bytes} bytes (the limit is ${PAYLOAD_LIMIT_BYTES}).`,
  };
}
