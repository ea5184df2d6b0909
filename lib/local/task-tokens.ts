// Task tokens of `.waitForTaskToken` tasks: minted per task, parked until SendTaskSuccess or
// SendTaskFailure arrives, dropped when the task times out or its execution stops.

import { randomBytes } from 'node:crypto';
import { SfnApiError } from './api-errors';
import { TaskError } from './task-error';

interface Parked {
  resolve(output: unknown): void;
  reject(error: TaskError): void;
}

export class TaskTokens {
  private readonly parked = new Map<string, Parked>();
  /** Tokens whose task ended without a callback: a late callback gets TaskTimedOut, as in AWS. */
  private readonly dropped = new Set<string>();
  /** Called on each SendTaskHeartbeat of a token (the engine's HeartbeatSeconds timer). */
  private readonly heartbeats = new Map<string, () => void>();

  /** A fresh token; the task's wait starts with `wait(token)`. */
  mint(): string {
    return randomBytes(48).toString('base64url');
  }

  /**
   * Parks the task on `token` until a callback or `signal` (timeout, stop). Call before handing the
   * token to anyone: a handler may call back before it returns.
   */
  wait(token: string, signal: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const drop = (): void => {
        this.parked.delete(token);
        this.heartbeats.delete(token);
        this.dropped.add(token);
        reject(new TaskError('States.Aborted', 'The task was stopped while waiting for its task token'));
      };
      if (signal.aborted) return drop();
      signal.addEventListener('abort', drop, { once: true });
      const settle = (): void => {
        signal.removeEventListener('abort', drop);
        this.parked.delete(token);
        this.heartbeats.delete(token);
        this.dropped.add(token);
      };
      this.parked.set(token, {
        resolve: (output) => {
          settle();
          resolve(output);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
    });
  }

  private take(token: unknown): Parked {
    if (typeof token !== 'string' || token.length === 0) throw new SfnApiError('InvalidToken', 'Invalid token');
    const parked = this.parked.get(token);
    if (parked) return parked;
    if (this.dropped.has(token)) throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    throw new SfnApiError('TaskDoesNotExist', 'Task does not exist anymore');
  }

  succeed(token: unknown, output: unknown): void {
    this.take(token).resolve(output);
  }

  fail(token: unknown, error: string, cause: string): void {
    this.take(token).reject(new TaskError(error, cause));
  }

  heartbeat(token: unknown): void {
    this.take(token);
    this.heartbeats.get(token as string)?.();
  }

  /** `onHeartbeat` runs on every heartbeat of the token while it is parked. */
  watchHeartbeats(token: string, onHeartbeat: () => void): void {
    this.heartbeats.set(token, onHeartbeat);
  }
}
