// The construct library's public surface (the package's main entry, `stepdeploy` and
// `stepdeploy/constructs`): load workflow files, then add a stack, or the pieces, to a CDK app.
export { StepDeployStack, type StepDeployStackProps } from './stepdeploy-stack';
export { DeploymentWorkflow, type DeploymentWorkflowProps } from './deployment-workflow';
export { StepDeployRuntime } from './runtime';
export { loadWorkflows, workflowFiles } from './load-workflows';
export { oversizedTemplates, TEMPLATE_BUDGET } from './template-budget';
export { stateMachineName, stateMachinePrefix } from './names';
export { CompileError } from '../asl/compile';
export { loadWorkflowFile, loadWorkflowText, type LoadResult } from '../model/load';
export { formatProblem, type Problem } from '../model/problem';
export type { Workflow } from '../model/workflow';
