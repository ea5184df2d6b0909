// Least privilege for a workflow's secrets and vars (lib/model/store-names.ts): the evaluate function
// may read exactly the parameters the workflow names and check (DescribeSecret) exactly the secrets
// its steps name; the runner role may read those secrets' values and nothing else. Environment-level
// names are granted for any environment (`env/*/NAME`), since a job's environment may be computed.

import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { StoreNames } from '../model/store-names';
import type { Workflow } from '../model/workflow';
import type { StepDeployRuntime } from './runtime';

export function grantStoreReads(scope: Construct, workflow: Workflow, runtime: StepDeployRuntime, names: StoreNames): void {
  const stack = Stack.of(scope);
  const evaluateRole = runtime.evaluateFunction.role!;
  const vars = [...new Set([...workflow.vars, ...workflow.jobs.flatMap((job) => job.vars)])].sort();
  const secrets = [...new Set(workflow.jobs.flatMap((job) => job.secrets))].sort();
  const levels = (prefix: string, name: string): string[] => [`${prefix}/${name}`, `${prefix}/env/*/${name}`];

  if (vars.length > 0) {
    const paths = vars.flatMap((name) => levels(names.parameters, name)).map((path) => `parameter/${path.replace(/^\//, '')}`);
    grant(evaluateRole, 'ssm', ['ssm:GetParameters'], paths, 'the evaluate function reads the vars the workflow names, of any environment');
  }
  if (secrets.length > 0) {
    // Secrets Manager appends six random characters to a secret's ARN.
    const paths = secrets.flatMap((name) => levels(names.secrets, name)).map((path) => `secret:${path}-??????`);
    grant(evaluateRole, 'secretsmanager', ['secretsmanager:DescribeSecret'], paths, 'job start checks that the secrets a job names exist (metadata only), in any environment');
    grant(runtime.runnerRole, 'secretsmanager', ['secretsmanager:GetSecretValue'], paths, 'run steps get the secrets they name (SECRETS_MANAGER variables), in any environment');
  }

  function grant(role: IRole, service: string, actions: string[], resources: string[], reason: string): void {
    const arn = (resource: string): string => `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: resources.map(arn) }));
    for (const resource of resources.filter((path) => path.includes('*'))) {
      const id = `Resource::arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;
      Validations.of(role).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${id}]`, reason });
    }
  }
}
