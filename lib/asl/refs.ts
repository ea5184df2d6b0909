/**
 * The runtime resources a definition refers to. In a CDK stack these are tokens (resolved by
 * CloudFormation); in golden files and plan output they are readable placeholders.
 */
export interface RuntimeRefs {
  readonly evaluateFunctionArn: string;
  readonly coordinatorFunctionArn: string;
  readonly runnerProjectName: string;
}

export const placeholderRefs: RuntimeRefs = {
  evaluateFunctionArn: '${EvaluateFunctionArn}',
  coordinatorFunctionArn: '${CoordinatorFunctionArn}',
  runnerProjectName: '${RunnerProjectName}',
};
