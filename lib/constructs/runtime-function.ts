import { dirname } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { handlerEntry, projectLockFile } from '../package-layout';

/** The handler names under lambdas/; the local engine finds a function's code by this name. */
export type RuntimeHandlerName = 'evaluate' | 'coordinator' | 'status-change' | 'webhook' | 'router' | 'runner-dispatch' | 'approval';

export interface RuntimeFunctionProps {
  readonly handler: RuntimeHandlerName;
  readonly description: string;
  readonly environment?: Record<string, string>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
}

/**
 * A runtime Lambda: Node.js 22, bundled by the local esbuild (no Docker), with its own log group.
 * The template records which handler it runs (`stepdeploy:handler`), so the local engine can run the
 * same code in-process.
 */
export function runtimeFunction(scope: Construct, id: string, props: RuntimeFunctionProps): NodejsFunction {
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Its own role instead of AWSLambdaBasicExecutionRole: writes to its own log group only.
  const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  // Bundled from the installed files: the lock file and node_modules of the project this package is
  // installed in (the checkout's own when developing), never a path inside the package.
  const lockFile = projectLockFile();
  const fn = new NodejsFunction(scope, id, {
    entry: handlerEntry(props.handler),
    handler: 'handler',
    ...(lockFile === undefined ? {} : { depsLockFilePath: lockFile, projectRoot: dirname(lockFile) }),
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    description: props.description,
    timeout: props.timeout ?? Duration.seconds(30),
    memorySize: props.memorySize ?? 256,
    environment: props.environment,
    tracing: Tracing.ACTIVE,
    logGroup,
    role,
    bundling: {
      format: OutputFormat.ESM,
      target: 'node22',
      minify: true,
      sourceMap: true,
      // ESM bundles of CommonJS dependencies need a require().
      banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      forceDockerBundling: false,
    },
  });
  (fn.node.defaultChild as CfnFunction).addMetadata('stepdeploy:handler', props.handler);
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions::AwsSolutions-L1',
    reason: 'Node.js 22 is the runtime stepdeploy is built and tested on; moving to a newer one is a deliberate upgrade.',
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: 'Only the X-Ray tracing actions (xray:PutTraceSegments, xray:PutTelemetryRecords) use *: they have no resource-level permissions.',
  });
  return fn;
}
