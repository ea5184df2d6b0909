// Which cell a streamed step line belongs to is read from the log file's name, not from the order
// logs appear in: here the step of the cell that entered its state first is held back (in the
// dispatch, before its runner can see it) until the other cell's step has begun, so the logs open in
// the reverse order of the entries. `stepdeploy run`'s view, fed as run.ts feeds it (history events,
// followed log lines), must still label every line with its own cell.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProgressView } from '../../lib/cli/progress';
import { followLogs } from '../../lib/cli/log-follow';
import { Gates, eventually, wrappedHandlers } from '../fixtures/e2e/support';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

let local: LocalWorkflows;
let gates: Gates;
let executionArn = '';
/** The cells, in the order their work was handed to their runners. */
const handedOut: number[] = [];
beforeAll(async () => {
  gates = await Gates.create();
  local = await startLocalWorkflows(['test/fixtures/e2e-runner/log-cells.yml'], {
    logDir: join(gates.dir, 'logs'),
    handlerModules: wrappedHandlers({
      'runner-dispatch': (deps, createReal) => {
        const real = createReal(deps);
        return async (event) => {
          const history = local.engine.getExecutionHistory(executionArn);
          const firstEntered = history.find((entry) => entry.stateEnteredEventDetails?.name === 'build.say: run');
          const firstCell = (JSON.parse(firstEntered?.stateEnteredEventDetails?.input ?? '{}') as { cell?: number }).cell;
          const cell = Number(String((event as { runner: string }).runner).split('#')[2]);
          if (cell === firstCell) {
            await eventually('the other cell’s step to begin', () => (readdirSync(gates.dir).some((name) => name.startsWith('started-')) ? true : undefined));
          }
          handedOut.push(cell);
          return real(event);
        };
      },
    }),
  });
});
afterAll(() => local?.close());

it('labels each streamed line with the cell that wrote it, though the second cell’s log opened first', async () => {
  let out = '';
  const view = createProgressView({ stdout: (text) => void (out += text), stderr: () => {}, isTTY: false, cwd: '.', env: {} }, { tickMs: 0 });
  const machine = local.engine.stateMachines[0]!;
  const name = 'log-cells';
  executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
  const follower = followLogs(join(gates.dir, 'logs', name), (file, line) => view.onLogLine(file, line), 10);
  local.engine.on('history', (arn, event) => {
    if (arn !== executionArn) return;
    if (/^(Task(Succeeded|Failed|TimedOut)|Execution)/.test(event.type ?? '')) follower.flush();
    view.onEvent(event);
  });
  expect(local.start('log-cells', { gates: gates.dir }, name)).toBe(executionArn);
  const { status, history } = await local.finish(executionArn);
  follower.stop();
  expect(status).toBe('SUCCEEDED');
  // The order forced: the cell that entered the step first got its work last.
  const entered = history
    .filter((event) => event.stateEnteredEventDetails?.name === 'build.say: run')
    .map((event) => (JSON.parse(event.stateEnteredEventDetails!.input!) as { cell: number }).cell);
  expect(handedOut).toEqual([...entered].reverse());
  const lines = out.split('\n').filter((line) => line.startsWith('[build'));
  expect(lines.sort()).toEqual(['[build (cell=one) / say] line from one', '[build (cell=two) / say] line from two']);
});
