// Approvals during `stepdeploy run`: with --approve every pending approval is answered at once (as
// you, with the comment "--approve"); on a terminal you are asked; otherwise the command to answer it
// from another terminal is printed (the engine's API is up while the run lasts).

import { createInterface } from 'node:readline/promises';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ApprovalDecision } from '../runtime/approvals/approvals';
import type { CliIo } from './io';
import { approvalPrompt, describe } from './approval-text';
import { approvalRequested, type PendingApproval } from './pending-approvals';

export interface LocalApprovals {
  readonly onEvent: (event: HistoryEvent) => void;
}

export function localApprovals(options: {
  readonly io: CliIo;
  readonly autoApprove: boolean;
  readonly executionArn: () => string;
  readonly endpoint: string;
  readonly answer: (taskToken: string, output: string) => void;
}): LocalApprovals {
  const { io } = options;
  const approver = io.env.USER ?? io.env.USERNAME ?? 'local user';
  const send = (approval: PendingApproval, decision: ApprovalDecision['decision'], comment: string, attempt = 0): void => {
    const answer: ApprovalDecision = { decision, approver, comment, at: new Date().toISOString() };
    try {
      options.answer(approval.taskToken, JSON.stringify(answer));
    } catch (error) {
      // The history says "scheduled" just before the task parks on its token: answer once it waits.
      if (attempt < 100) setTimeout(() => send(approval, decision, comment, attempt + 1), 20);
      else io.stderr(`stepdeploy run: cannot answer the approval of ${describe(approval)}: ${(error as Error).message}\n`);
      return;
    }
    io.stdout(`${decision} ${describe(approval)} as ${approver}\n`);
  };
  let asking = Promise.resolve();
  return {
    onEvent(event) {
      const approval = approvalRequested(event);
      if (!approval) return;
      const reviewers = approval.reviewers.join(', ');
      if (options.autoApprove) return send(approval, 'approved', '--approve');
      if (io.isTTY && process.stdin.isTTY) {
        // One question at a time; the run goes on meanwhile.
        asking = asking.then(async () => {
          const prompt = createInterface({ input: process.stdin, output: process.stdout });
          const reply = await prompt.question(`approve ${describe(approval)} (reviewers: ${reviewers})? [y/N] `);
          prompt.close();
          send(approval, /^y(es)?$/i.test(reply.trim()) ? 'approved' : 'rejected', 'answered at the prompt');
        });
        return;
      }
      io.stdout(approvalPrompt(approval, options.executionArn(), options.endpoint));
    },
  };
}
