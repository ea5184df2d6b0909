import type { SpecEntry, SpecNode } from '../../source/tree';
import { checkoutAction, lambdaAction } from '../keys';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { Json, RetryPolicy, RunStep, Step, StepBase } from '../workflow';
import { normalizeActionUses } from './action';
import { normalizeCheckoutWith } from './checkout';
import { checkShell } from './defaults';
import { retryDefaults, retryRanges, timeoutRange } from './limits';
import {
  readBoolean,
  readBooleanOrExpression,
  readEnv,
  readJson,
  readMap,
  readNumberInRange,
  readString,
  readText,
  reportUnsupported,
} from './read';
import type { Writable } from '../writable';

/**
 * One entry of `steps:`; `index` is 0-based, the default id `step-<index+1>`. `defaultWorkingDirectory`
 * is the job's (else the workflow's) `defaults.run.working-directory`.
 */
export function normalizeStep(
  node: SpecNode,
  path: string,
  index: number,
  file: string,
  sink: ProblemSink,
  defaultWorkingDirectory?: string,
): Step | undefined {
  const entries = readMap(node, path, 'step', sink);
  if (!entries) return undefined;
  const value = (key: string): SpecNode | undefined => entries.get(key)?.value;
  const at = (key: string): string => keyPath(path, key);

  const idNode = value('id');
  const explicitId = idNode && readString(idNode, at('id'), sink);
  const nameNode = value('name');
  const name = nameNode && readText(nameNode, at('name'), sink);
  const ifNode = value('if');
  const condition = ifNode && readText(ifNode, at('if'), sink);
  const envNode = value('env');
  const continueNode = value('continue-on-error');
  const timeoutNode = value('timeout-minutes');
  const parallelNode = value('parallel');
  const parallel = (parallelNode && readBoolean(parallelNode, at('parallel'), sink)) ?? false;
  if (parallel && index === 0 && parallelNode) {
    const message = `${at('parallel')}: the first step has no previous step to start together with; remove parallel`;
    sink.report('invalid-parallel', parallelNode.pos, at('parallel'), message);
  }
  const retryEntry = entries.get('retry');
  const timeoutMinutes = timeoutNode && readNumberInRange(timeoutNode, at('timeout-minutes'), sink, timeoutRange);
  const retry = retryEntry && normalizeRetry(retryEntry.value, at('retry'), sink);
  checkShell(entries.get('shell'), at('shell'), sink);

  // Optional keys are added after the literal, not spread into it (lib/model/writable.ts says why).
  const base: Writable<StepBase> = {
    id: explicitId ?? `step-${index + 1}`,
    hasExplicitId: explicitId !== undefined,
    parallel,
    continueOnError: (continueNode && readBooleanOrExpression(continueNode, at('continue-on-error'), sink)) ?? false,
    env: envNode ? readEnv(envNode, at('env'), sink) : {},
    location: { file, line: node.pos.line, column: node.pos.column },
  };
  if (name !== undefined) base.name = name;
  if (condition !== undefined) base.if = condition;
  if (timeoutMinutes !== undefined) base.timeoutMinutes = timeoutMinutes;
  if (retry !== undefined) base.retry = retry;

  const run = entries.get('run');
  const uses = entries.get('uses');
  const withEntry = entries.get('with');
  const workingDirectory = entries.get('working-directory');
  if (run && uses) {
    sink.report('invalid-step', uses.keyPos, at('uses'), `${path}: a step has either run or uses, not both`);
    return undefined;
  }
  if (run) {
    if (withEntry) sink.report('invalid-step', withEntry.keyPos, at('with'), `${at('with')}: with belongs to uses: steps (actions, ${lambdaAction}, ${checkoutAction}); a run step reads values from env`);
    const script = readText(run.value, at('run'), sink);
    const directory = (workingDirectory && readText(workingDirectory.value, at('working-directory'), sink)) ?? defaultWorkingDirectory;
    if (script === undefined) return undefined;
    const step: Writable<RunStep> = Object.assign(base, { kind: 'run' as const, run: script });
    if (directory !== undefined) step.workingDirectory = directory;
    return step;
  }
  if (uses) {
    if (workingDirectory) {
      const message = `${at('working-directory')}: working-directory is only for run steps`;
      sink.report('invalid-step', workingDirectory.keyPos, at('working-directory'), message);
    }
    const action = readString(uses.value, at('uses'), sink);
    if (action === undefined) return undefined;
    if (isCheckout(action)) {
      const checkout = normalizeCheckoutWith(withEntry, path, sink);
      return checkout && { ...base, kind: 'checkout', action, path: checkout.path };
    }
    if (action !== lambdaAction) {
      const local = normalizeActionUses(action, uses, withEntry, path, sink);
      return local && { ...base, kind: 'action', ...local };
    }
    const lambda = normalizeLambdaWith(withEntry, uses, path, sink);
    return lambda && { ...base, kind: 'lambda', ...lambda };
  }
  sink.report('invalid-step', node.pos, path, `${path}: a step needs run (a bash script) or uses: ./path (an action of the repository), ${lambdaAction} or ${checkoutAction}@<ref>`);
  return undefined;
}

function normalizeLambdaWith(
  withEntry: SpecEntry | undefined,
  uses: SpecEntry,
  path: string,
  sink: ProblemSink,
): { function: string; payload: Json } | undefined {
  const at = keyPath(path, 'with');
  const entries = withEntry ? readMap(withEntry.value, at, 'lambdaWith', sink) : new Map<string, SpecEntry>();
  if (!entries) return undefined;
  const functionEntry = entries.get('function');
  if (!functionEntry) {
    const message = `${at}: uses: ${lambdaAction} needs with.function (the function name or ARN)`;
    sink.report('missing-key', (withEntry ?? uses).keyPos, keyPath(at, 'function'), message);
    return undefined;
  }
  const name = readText(functionEntry.value, keyPath(at, 'function'), sink);
  const payloadEntry = entries.get('payload');
  const payload = payloadEntry ? readJson(payloadEntry.value, keyPath(at, 'payload'), sink) : {};
  return name === undefined ? undefined : { function: name, payload };
}

function normalizeRetry(node: SpecNode, path: string, sink: ProblemSink): RetryPolicy | undefined {
  const entries = readMap(node, path, 'retry', sink);
  if (!entries) return undefined;
  const read = (key: keyof typeof retryRanges): number | undefined => {
    const entry = entries.get(key);
    return entry && readNumberInRange(entry.value, keyPath(path, key), sink, retryRanges[key]);
  };
  return {
    maxAttempts: read('max-attempts') ?? retryDefaults.maxAttempts,
    intervalSeconds: read('interval-seconds') ?? retryDefaults.intervalSeconds,
    backoffRate: read('backoff-rate') ?? retryDefaults.backoffRate,
  };
}

/** `actions/checkout@v4`, `actions/checkout@<sha>`, any ref (case-insensitive, as GitHub resolves owners and names). */
function isCheckout(action: string): boolean {
  const at = action.indexOf('@');
  return at > 0 && action.slice(0, at).toLowerCase() === checkoutAction && action.length > at + 1;
}
