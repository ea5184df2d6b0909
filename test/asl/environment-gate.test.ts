import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import type { State } from '../../lib/asl/types';
import { loadWorkflowText } from '../../lib/model/load';
import { planWorkflow } from '../../lib/plan';

const settings = {
  environments: {
    production: { requiredReviewers: ['alice'], waitTimerMinutes: 5 },
    staging: { requiredReviewers: [], waitTimerMinutes: 0 },
  },
  githubToken: false,
};

function statesOf(environment: string): Record<string, State> {
  const text = `on: workflow_dispatch\njobs:\n  ship:\n    strategy: { matrix: { target: [staging, production] } }\n    environment: ${environment}\n    steps:\n      - run: ./ship\n`;
  const { workflow, problems } = loadWorkflowText(text, 'ship.yml', { settings });
  expect(problems).toEqual([]);
  const states: Record<string, State> = {};
  const visit = (machine: Record<string, State>): void => {
    for (const [name, state] of Object.entries(machine)) {
      states[name] = state;
      if (state.Type === 'Map') visit(state.ItemProcessor.States);
      if (state.Type === 'Parallel') state.Branches.forEach((branch) => visit(branch.States));
    }
  };
  visit(compileWorkflow(planWorkflow(workflow!), placeholderRefs).definition.States);
  return states;
}

describe('the environment gate', () => {
  it('waits out the timer (a Wait state), then parks on a task token for the approval, before the first step', () => {
    const states = statesOf('${{ matrix.target }}');
    expect(states['ship: wait timer?']).toMatchObject({ Type: 'Choice', Choices: [{ Variable: '$.job.environment.waitSeconds', NumericGreaterThan: 0, Next: 'ship: wait timer' }], Default: 'ship: approval?' });
    expect(states['ship: wait timer']).toMatchObject({ Type: 'Wait', SecondsPath: '$.job.environment.waitSeconds', Next: 'ship: approval?' });
    expect(states['ship: approval']).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { Payload: { op: 'approval.request', job: 'ship', 'cell.$': '$.cell', 'environment.$': '$.job.environment.name', 'reviewers.$': '$.job.environment.reviewers', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 2_592_000,
      ResultPath: '$.job.approval',
      Next: 'ship: approval answered',
    });
    expect(states['ship: approved?']).toMatchObject({ Choices: [{ StringEquals: 'approved', Next: 'ship: start runner' }], Default: 'ship: rejected' });
  });

  it('adds nothing for an environment without such rules', () => {
    const names = Object.keys(statesOf('staging'));
    expect(names.filter((name) => /approv|wait timer/.test(name))).toEqual([]);
  });
});
