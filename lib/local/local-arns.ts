// The fixed account and region every local resource lives in, so ARNs read like real ones and stay stable.

import { createHash } from 'node:crypto';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_PARTITION = 'aws';
export const LOCAL_URL_SUFFIX = 'amazonaws.com';

export const stateMachineArn = (name: string): string =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

export const executionArn = (stateMachineName: string, executionName: string): string =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${stateMachineName}:${executionName}`;

export const lambdaFunctionArn = (name: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

export const dynamodbTableArn = (name: string): string =>
  `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`;

export const codeBuildProjectArn = (name: string): string =>
  `arn:aws:codebuild:${LOCAL_REGION}:${LOCAL_ACCOUNT}:project/${name}`;

export const codeBuildBuildArn = (buildId: string): string =>
  `arn:aws:codebuild:${LOCAL_REGION}:${LOCAL_ACCOUNT}:build/${buildId}`;

export const eventBusArn = (name: string): string => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${name}`;

export const secretArn = (name: string): string => `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}`;

/** A secret that exists outside the template, by name: Secrets Manager ends its ARN with six random characters, here derived from the name. */
export const namedSecretArn = (name: string): string =>
  `${secretArn(name)}-${createHash('sha256').update(name).digest('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6)}`;

/**
 * The function name inside a Lambda `FunctionName` parameter: a plain name, a full ARN
 * (optionally with a version or alias qualifier), or a partial `ACCOUNT:function:NAME`.
 */
export function lambdaFunctionName(nameOrArn: string): string {
  const match = /(?:^|:)function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

/** The state machine name inside its ARN, or undefined when the text is no state machine ARN. */
export function stateMachineNameOf(arn: string): string | undefined {
  const match = /^arn:aws:states:[^:]*:[^:]*:stateMachine:([^:]+)$/.exec(arn);
  return match?.[1];
}
