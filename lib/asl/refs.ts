/**
 * The runtime resources a definition refers to. In a CDK stack these are tokens (resolved by
 * CloudFormation); in golden files and plan output they are readable placeholders.
 */
export interface RuntimeRefs {
  readonly evaluateFunctionArn: string;
  readonly coordinatorFunctionArn: string;
  readonly runnerProjectName: string;
  /** Hands a `run` step to its cell's runner (lambdas/runner-dispatch). */
  readonly runnerDispatchFunctionArn: string;
  /** The runtime table: `<job>: stop runner` writes the runner's stop item there. */
  readonly tableName: string;
}

export const placeholderRefs: RuntimeRefs = {
  evaluateFunctionArn: '${EvaluateFunctionArn}',
  coordinatorFunctionArn: '${CoordinatorFunctionArn}',
  runnerProjectName: '${RunnerProjectName}',
  runnerDispatchFunctionArn: '${RunnerDispatchFunctionArn}',
  tableName: '${TableName}',
};
