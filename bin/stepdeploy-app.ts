// The CDK app: one StepDeployStack holding the shared runtime and a state machine per workflow file
// in the folder named by the context `stepdeploy:workflowsDir` (default `workflows/`).
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { formatProblem } from '../lib/model/problem';
import { loadWorkflows, workflowFiles } from '../lib/constructs/load-workflows';
import { DEFAULT_STACK_NAME, StepDeployStack } from '../lib/constructs/stepdeploy-stack';

const app = new App();
const dir = resolve(String(app.node.tryGetContext('stepdeploy:workflowsDir') ?? 'workflows'));
const { workflows, problems } = await loadWorkflows(await workflowFiles(dir));
if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.exit(1);
}
new StepDeployStack(app, String(app.node.tryGetContext('stepdeploy:stackName') ?? DEFAULT_STACK_NAME), {
  workflows,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
