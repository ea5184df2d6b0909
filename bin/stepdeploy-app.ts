// The CDK app: one StepDeployStack holding the shared runtime and a state machine per workflow file
// in the folder named by the context `stepdeploy:workflowsDir` (default `workflows/`), in nested
// stacks past a size; no template over CloudFormation's 1 MB leaves this app.
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ActionFetchError, fetchSettingsFromEnv } from '../lib/actions/fetch';
import { lockWorkflowActions } from '../lib/actions/lock-workflows';
import { actionsCacheRoot, LockFileError } from '../lib/model/actions/lock';
import { compileProblems } from '../lib/asl/compile';
import { placeholderRefs } from '../lib/asl/refs';
import { formatProblem } from '../lib/model/problem';
import { planWorkflow } from '../lib/plan';
import { loadWorkflows, workflowFiles } from '../lib/constructs/load-workflows';
import { DEFAULT_STACK_NAME, StepDeployStack } from '../lib/constructs/stepdeploy-stack';
import { oversizedTemplates } from '../lib/constructs/template-budget';

const app = new App();
const dir = resolve(String(app.node.tryGetContext('stepdeploy:workflowsDir') ?? 'workflows'));
const files = await workflowFiles(dir);
// Remote actions resolve (first time) or are fetched (cache miss) and checked against stepdeploy.lock.json.
try {
  await lockWorkflowActions(files, fetchSettingsFromEnv(process.env, actionsCacheRoot()), { update: false });
} catch (error) {
  if (!(error instanceof ActionFetchError) && !(error instanceof LockFileError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const { workflows, problems: loadProblems } = await loadWorkflows(files);
// Step Functions' limits as `stepdeploy validate` reports them, for every file, before any bundling.
const problems = [...loadProblems, ...workflows.flatMap((workflow) => compileProblems(planWorkflow(workflow), placeholderRefs))];
if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.exit(1);
}
new StepDeployStack(app, String(app.node.tryGetContext('stepdeploy:stackName') ?? DEFAULT_STACK_NAME), {
  workflows,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
const oversized = oversizedTemplates(app.synth());
if (oversized.length > 0) {
  for (const line of oversized) process.stderr.write(`${line}\n`);
  process.exit(1);
}
