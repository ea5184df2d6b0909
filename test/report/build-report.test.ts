import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { buildReport, ReportError } from '../../lib/report/build-report';
import type { RunReport } from '../../lib/report/report';
import { EXECUTION_ARN, loadHistory } from './histories';

const report = (name: string): RunReport =>
  buildReport({ workflow: 'deploy-production', executionArn: EXECUTION_ARN, history: loadHistory(name) });

describe('buildReport', () => {
  it('a matrix job with max-parallel: an entry per cell with its own steps; outputs come from the output file', () => {
    expect(report('matrix-max-parallel')).toStrictEqual({
      workflow: 'deploy-production',
      execution: 'arn:aws:states:us-east-1:000000000000:execution:deploy-production:run-1',
      status: 'succeeded',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:11.940Z',
      jobs: [
        {
          id: 'build',
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:00.100Z',
          endedAt: '2025-03-04T10:00:04.200Z',
          steps: [
            {
              name: 'compile',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:00.150Z',
              endedAt: '2025-03-04T10:00:04.150Z',
              outputs: { artifact: 's3://bucket/app-1.2.3.zip' },
            },
          ],
        },
        {
          id: 'deploy',
          matrix: { region: 'eu-west-1' },
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:04.315Z',
          endedAt: '2025-03-04T10:00:08.370Z',
          steps: [
            {
              name: 'upload',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:04.360Z',
              endedAt: '2025-03-04T10:00:07.360Z',
              outputs: { url: 'https://eu-west-1.example.com' },
            },
            {
              name: 'smoke',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:07.365Z',
              endedAt: '2025-03-04T10:00:08.360Z',
            },
          ],
        },
        {
          id: 'deploy',
          matrix: { region: 'us-east-1' },
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:04.325Z',
          endedAt: '2025-03-04T10:00:10.580Z',
          steps: [
            {
              name: 'upload',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:04.370Z',
              endedAt: '2025-03-04T10:00:09.370Z',
              outputs: { url: 'https://us-east-1.example.com' },
            },
            {
              name: 'smoke',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:09.375Z',
              endedAt: '2025-03-04T10:00:10.570Z',
            },
          ],
        },
        {
          id: 'deploy',
          matrix: { region: 'ap-south-1' },
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:08.405Z',
          endedAt: '2025-03-04T10:00:11.860Z',
          steps: [
            {
              name: 'upload',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:08.450Z',
              endedAt: '2025-03-04T10:00:10.950Z',
              outputs: { url: 'https://ap-south-1.example.com' },
            },
            {
              name: 'smoke',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:10.955Z',
              endedAt: '2025-03-04T10:00:11.850Z',
            },
          ],
        },
      ],
    });
  });

  it('a failed step fails its job, the steps after it are skipped, and a job that needs it is skipped without times', () => {
    expect(report('failed-step-skipped-dependents')).toStrictEqual({
      workflow: 'deploy-production',
      execution: 'arn:aws:states:us-east-1:000000000000:execution:deploy-production:run-1',
      status: 'failed',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:03.320Z',
      jobs: [
        {
          id: 'test',
          status: 'failed',
          startedAt: '2025-03-04T10:00:00.110Z',
          endedAt: '2025-03-04T10:00:03.180Z',
          steps: [
            {
              name: 'lint',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:00.150Z',
              endedAt: '2025-03-04T10:00:01.150Z',
            },
            {
              name: 'unit',
              status: 'failed',
              startedAt: '2025-03-04T10:00:01.160Z',
              endedAt: '2025-03-04T10:00:03.160Z',
              error: 'States.TaskFailed',
              cause: 'Build failed: exit code 1',
            },
            { name: 'report', status: 'skipped' },
          ],
        },
        {
          id: 'docs',
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:00.120Z',
          endedAt: '2025-03-04T10:00:02.180Z',
          steps: [
            {
              name: 'build',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:00.170Z',
              endedAt: '2025-03-04T10:00:02.170Z',
              outputs: { site: 'docs/index.html' },
            },
          ],
        },
        { id: 'deploy', status: 'skipped', steps: [] },
      ],
    });
  });

  it('fail-fast (AWS history): the cell still running when its iteration is aborted is cancelled, with its running step', () => {
    expect(report('fail-fast-cancelled')).toStrictEqual({
      workflow: 'deploy-production',
      execution: 'arn:aws:states:us-east-1:000000000000:execution:deploy-production:run-1',
      status: 'failed',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:02.260Z',
      jobs: [
        {
          id: 'deploy',
          matrix: { region: 'eu-west-1' },
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:00.115Z',
          endedAt: '2025-03-04T10:00:01.150Z',
          steps: [
            {
              name: 'apply',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:00.140Z',
              endedAt: '2025-03-04T10:00:01.140Z',
            },
          ],
        },
        {
          id: 'deploy',
          matrix: { region: 'us-east-1' },
          status: 'failed',
          startedAt: '2025-03-04T10:00:00.116Z',
          endedAt: '2025-03-04T10:00:02.160Z',
          steps: [
            {
              name: 'apply',
              status: 'failed',
              startedAt: '2025-03-04T10:00:00.141Z',
              endedAt: '2025-03-04T10:00:02.141Z',
              error: 'States.TaskFailed',
              cause: 'terraform apply: exit code 1',
            },
            { name: 'verify', status: 'skipped' },
          ],
        },
        {
          id: 'deploy',
          matrix: { region: 'ap-south-1' },
          status: 'cancelled',
          startedAt: '2025-03-04T10:00:00.117Z',
          endedAt: '2025-03-04T10:00:02.185Z',
          steps: [
            {
              name: 'apply',
              status: 'cancelled',
              startedAt: '2025-03-04T10:00:00.142Z',
              endedAt: '2025-03-04T10:00:02.185Z',
            },
          ],
        },
      ],
    });
  });

  it('fail-fast in an ordered Map (longest cells first): an iteration index names the cell at that place of the Map’s items', () => {
    // The same run with the cells started in the order us-east-1 (1), ap-south-1 (2), eu-west-1 (0).
    const positions = [2, 0, 1];
    const ordered = loadHistory('fail-fast-cancelled').map((event): HistoryEvent => {
      if (event.type === 'MapStateEntered') {
        const items = [1, 2, 0].map((cell) => ({ cell, matrix: {} }));
        return { ...event, stateEnteredEventDetails: { name: 'deploy', input: JSON.stringify({ cells: { items } }) } };
      }
      const details = event.mapIterationSucceededEventDetails ?? event.mapIterationFailedEventDetails ?? event.mapIterationAbortedEventDetails;
      if (details?.index === undefined) return event;
      const moved = { name: details.name, index: positions[details.index] };
      if (event.mapIterationSucceededEventDetails) return { ...event, mapIterationSucceededEventDetails: moved };
      if (event.mapIterationFailedEventDetails) return { ...event, mapIterationFailedEventDetails: moved };
      return { ...event, mapIterationAbortedEventDetails: moved };
    });
    expect(buildReport({ workflow: 'deploy-production', executionArn: EXECUTION_ARN, history: ordered })).toStrictEqual(report('fail-fast-cancelled'));
  });

  it('fail-fast (local history: linear event links, no aborted iterations): the running cell is cancelled when the job Map exits', () => {
    expect(report('fail-fast-cancelled-local')).toStrictEqual({
      workflow: 'deploy-production',
      execution: 'arn:aws:states:us-east-1:000000000000:execution:deploy-production:run-1',
      status: 'failed',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:02.260Z',
      jobs: [
        {
          id: 'deploy',
          matrix: { region: 'eu-west-1' },
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:00.115Z',
          endedAt: '2025-03-04T10:00:01.150Z',
          steps: [
            {
              name: 'apply',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:00.140Z',
              endedAt: '2025-03-04T10:00:01.140Z',
            },
          ],
        },
        {
          id: 'deploy',
          matrix: { region: 'us-east-1' },
          status: 'failed',
          startedAt: '2025-03-04T10:00:00.116Z',
          endedAt: '2025-03-04T10:00:02.160Z',
          steps: [
            {
              name: 'apply',
              status: 'failed',
              startedAt: '2025-03-04T10:00:00.141Z',
              endedAt: '2025-03-04T10:00:02.141Z',
              error: 'States.TaskFailed',
              cause: 'terraform apply: exit code 1',
            },
            { name: 'verify', status: 'skipped' },
          ],
        },
        {
          id: 'deploy',
          matrix: { region: 'ap-south-1' },
          status: 'cancelled',
          startedAt: '2025-03-04T10:00:00.117Z',
          endedAt: '2025-03-04T10:00:02.190Z',
          steps: [
            {
              name: 'apply',
              status: 'cancelled',
              startedAt: '2025-03-04T10:00:00.142Z',
              endedAt: '2025-03-04T10:00:02.190Z',
            },
          ],
        },
      ],
    });
  });

  it('continue-on-error: the failed step is reported failed while the job succeeds; a retried step that then succeeds is succeeded', () => {
    expect(report('continue-on-error')).toStrictEqual({
      workflow: 'deploy-production',
      execution: 'arn:aws:states:us-east-1:000000000000:execution:deploy-production:run-1',
      status: 'succeeded',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:04.580Z',
      jobs: [
        {
          id: 'deploy',
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:00.010Z',
          endedAt: '2025-03-04T10:00:04.570Z',
          steps: [
            {
              name: 'migrate',
              status: 'failed',
              startedAt: '2025-03-04T10:00:00.040Z',
              endedAt: '2025-03-04T10:00:01.040Z',
              error: 'States.TaskFailed',
              cause: 'Build failed: exit code 3',
            },
            {
              name: 'notify',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:01.560Z',
              endedAt: '2025-03-04T10:00:04.560Z',
              outputs: { message_id: 'm-42', '<b>tag</b>': 'a & b' },
            },
          ],
        },
      ],
    });
  });

  it('a run stopped with error Superseded is superseded; the job and the step it stopped are cancelled', () => {
    expect(report('superseded')).toStrictEqual({
      workflow: 'deploy-production',
      execution: 'arn:aws:states:us-east-1:000000000000:execution:deploy-production:run-1',
      status: 'superseded',
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:05.090Z',
      jobs: [
        {
          id: 'build',
          status: 'succeeded',
          startedAt: '2025-03-04T10:00:00.010Z',
          endedAt: '2025-03-04T10:00:02.050Z',
          steps: [
            {
              name: 'compile',
              status: 'succeeded',
              startedAt: '2025-03-04T10:00:00.040Z',
              endedAt: '2025-03-04T10:00:02.040Z',
              outputs: { version: '1.2.3' },
            },
          ],
        },
        {
          id: 'deploy',
          status: 'cancelled',
          startedAt: '2025-03-04T10:00:02.060Z',
          endedAt: '2025-03-04T10:00:05.090Z',
          steps: [
            {
              name: 'apply',
              status: 'cancelled',
              startedAt: '2025-03-04T10:00:02.090Z',
              endedAt: '2025-03-04T10:00:05.090Z',
            },
          ],
        },
      ],
    });
  });


  it('reads the history in id order, whatever order the events come in', () => {
    const history = loadHistory('fail-fast-cancelled');
    const shuffled = [...history].reverse();
    expect(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history: shuffled })).toStrictEqual(
      buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }),
    );
  });

  it.each([
    ['ExecutionTimedOut', {}, 'failed'],
    ['ExecutionAborted', { executionAbortedEventDetails: { error: 'UserStop' } }, 'cancelled'],
    ['ExecutionAborted', {}, 'cancelled'],
    ['ExecutionFailed', { executionFailedEventDetails: { error: 'Superseded', cause: 'cancel-in-progress' } }, 'superseded'],
    ['ExecutionFailed', { executionFailedEventDetails: { error: 'States.Runtime' } }, 'failed'],
  ] as const)('a run that ended with %s %j is %s; the job it stopped is cancelled', (type, details, status) => {
    const history: HistoryEvent[] = [
      { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
      entered(2, 'build: start', { steps: {} }, 10),
      { id: 3, type: type as HistoryEventType, timestamp: at(900), ...details },
    ];
    expect(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history })).toStrictEqual({
      workflow: 'w',
      execution: EXECUTION_ARN,
      status,
      startedAt: '2025-03-04T10:00:00.000Z',
      endedAt: '2025-03-04T10:00:00.900Z',
      jobs: [{ id: 'build', status: 'cancelled', startedAt: '2025-03-04T10:00:00.010Z', endedAt: '2025-03-04T10:00:00.900Z', steps: [] }],
    });
  });

  it('finds a cell by its matrix whatever the key order in the state data', () => {
    const history: HistoryEvent[] = [
      { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
      entered(2, 'deploy: start', { matrix: { region: 'eu', os: 'linux' }, steps: {} }, 10),
      entered(3, 'deploy.apply: run', { matrix: { os: 'linux', region: 'eu' }, steps: {} }, 20),
      exited(4, 'deploy.apply: run', { matrix: { os: 'linux', region: 'eu' }, steps: { apply: { outcome: 'success', outputs: { id: 7 } } } }, 30),
      exited(5, 'deploy: end', { result: 'success', outputs: {}, matrix: { os: 'linux', region: 'eu' } }, 40),
      { id: 6, type: 'ExecutionSucceeded', timestamp: at(50) },
    ];
    expect(buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history }).jobs).toStrictEqual([
      {
        id: 'deploy',
        matrix: { region: 'eu', os: 'linux' },
        status: 'succeeded',
        startedAt: '2025-03-04T10:00:00.010Z',
        endedAt: '2025-03-04T10:00:00.040Z',
        steps: [{ name: 'apply', status: 'succeeded', startedAt: '2025-03-04T10:00:00.020Z', endedAt: '2025-03-04T10:00:00.030Z', outputs: { id: 7 } }],
      },
    ]);
  });

  it('refuses a history that has not ended', () => {
    const history = loadHistory('superseded').filter((event) => event.type !== 'ExecutionAborted');
    expect(() => buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history })).toThrow(
      new ReportError(
        `${EXECUTION_ARN} has not ended yet: a report needs an ExecutionSucceeded, ExecutionFailed, ExecutionAborted or ExecutionTimedOut event`,
      ),
    );
  });

  it('refuses a history without its start', () => {
    const history = loadHistory('superseded').filter((event) => event.type !== 'ExecutionStarted');
    expect(() => buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history })).toThrow(
      new ReportError(`the history of ${EXECUTION_ARN} has no ExecutionStarted event`),
    );
  });

  it('refuses an event without a valid timestamp', () => {
    const history: HistoryEvent[] = [{ id: 1, type: 'ExecutionStarted', timestamp: new Date('not a date') }];
    expect(() => buildReport({ workflow: 'w', executionArn: EXECUTION_ARN, history })).toThrow(
      new ReportError('history event 1 has no valid timestamp'),
    );
  });
});

function at(ms: number): Date {
  return new Date(Date.parse('2025-03-04T10:00:00.000Z') + ms);
}

function entered(id: number, name: string, input: object, ms: number): HistoryEvent {
  return { id, previousEventId: id - 1, type: 'TaskStateEntered', timestamp: at(ms), stateEnteredEventDetails: { name, input: JSON.stringify(input) } };
}

function exited(id: number, name: string, output: object, ms: number): HistoryEvent {
  return { id, previousEventId: id - 1, type: 'TaskStateExited', timestamp: at(ms), stateExitedEventDetails: { name, output: JSON.stringify(output) } };
}
