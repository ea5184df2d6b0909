// Runs workflow files on the embedded engine exactly as `stepdeploy run` does: the synthesized
// template's state machines, the runtime handlers in-process, dynalite, run steps as child processes.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeLocalTemplate } from '../../lib/constructs/local-synth';
import type { AwsCall } from '../../lib/local/aws-calls';
import { LocalEngine, type LocalEngineOptions } from '../../lib/local/engine';
import { buildReport } from '../../lib/report/build-report';
import type { RunReport } from '../../lib/report/report';
import { stepNamesOf } from '../../lib/report/step-names';
import type { StateMachineDefinition } from '../../lib/asl/types';
import type { Template } from '../iam/policies';
import { checkTemplateIam, formatVerdict } from '../iam/simulate';

export interface LocalWorkflows {
  readonly engine: LocalEngine;
  /** The synthesized template the engine runs. */
  readonly template: Record<string, unknown>;
  /** Starts an execution of the workflow with this id; resolves to its ARN. */
  start(workflowId: string, inputs?: Record<string, unknown>, name?: string): string;
  /** Waits for the end of an execution and builds its run report. */
  finish(executionArn: string): Promise<{ status: string; error?: string; cause?: string; report: RunReport; history: readonly HistoryEvent[] }>;
  close(): Promise<void>;
}

export async function startLocalWorkflows(files: readonly string[], options: Partial<LocalEngineOptions> = {}): Promise<LocalWorkflows> {
  const { template, problems } = await synthesizeLocalTemplate(files);
  if (template === undefined) throw new Error(`workflows do not load: ${JSON.stringify(problems)}`);
  const logDir = await mkdtemp(join(tmpdir(), 'stepdeploy-e2e-'));
  // Every e2e run is an IAM check too: each AWS call it made must be allowed for its role (test/iam).
  const calls: AwsCall[] = [];
  const record = options.recordAwsCalls;
  const recordAwsCalls = (call: AwsCall): void => {
    calls.push(call);
    record?.(call);
  };
  const engine = await LocalEngine.start({ templates: [template], logDir, sourceDir: logDir, stopGraceMs: 2000, ...options, recordAwsCalls });
  return {
    engine,
    template,
    start(workflowId, inputs = {}, name) {
      const machine = engine.stateMachines.find((candidate) => candidate.id === workflowId);
      if (machine === undefined) throw new Error(`no state machine for workflow '${workflowId}'`);
      return engine.startExecution(machine.arn, JSON.stringify({ inputs, event: { trigger: 'test' } }), name).executionArn!;
    },
    async finish(executionArn) {
      const ended = await engine.waitForExecution(executionArn);
      const history = engine.getExecutionHistory(executionArn);
      const machineName = executionArn.split(':')[6] ?? '';
      const machine = engine.stateMachines.find((candidate) => candidate.name === machineName);
      const definition = machine && engine.describeStateMachine(machine.arn).definition;
      // Only the full ids of jobs whose state names shorten them: steps stay named by their ids here.
      const names = definition === undefined ? {} : stepNamesOf(JSON.parse(definition) as StateMachineDefinition);
      const stepNames = Object.fromEntries(Object.entries(names).filter(([key]) => !key.includes('.')));
      const report = buildReport({ workflow: machineName, executionArn, history, stepNames });
      return { status: ended.status!, ...(ended.error ? { error: ended.error } : {}), ...(ended.cause ? { cause: ended.cause } : {}), report, history };
    },
    async close() {
      await engine.close();
      const { denied } = await checkTemplateIam(template as unknown as Template, calls);
      if (denied.length > 0) throw new Error(`IAM would deny ${denied.length} call(s) of this run in AWS:\n${denied.map(formatVerdict).join('\n')}`);
    },
  };
}

/** The most intervals of [startedAt, endedAt) that overlap at one moment. */
export function maxOverlap(intervals: readonly { startedAt?: string; endedAt?: string }[]): number {
  const points = intervals.flatMap((interval) =>
    interval.startedAt && interval.endedAt ? [[Date.parse(interval.startedAt), 1] as const, [Date.parse(interval.endedAt), -1] as const] : [],
  );
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let most = 0;
  for (const [, delta] of points) {
    current += delta;
    most = Math.max(most, current);
  }
  return most;
}
