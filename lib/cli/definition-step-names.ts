import { DescribeStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../asl/types';
import { stepNamesOf, type StepNames } from '../report/step-names';

/** The steps' display names from the state machine's definition; step ids stand in if it cannot be read. */
export async function definitionStepNames(sfn: SFNClient, stateMachineArn: string | undefined): Promise<StepNames | undefined> {
  if (stateMachineArn === undefined) return undefined;
  try {
    const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    return definition === undefined ? undefined : stepNamesOf(JSON.parse(definition) as StateMachineDefinition);
  } catch {
    return undefined;
  }
}
