// The runner program: `node runner.mjs` in the CodeBuild project's buildspec (the esbuild bundle of
// this file), a child process of the local engine (this file, from source). Everything it needs is
// in its environment (lib/runner/identity.ts).

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pollIntervals, readIdentity, RUNNER_UP_MESSAGE, RUNNER_WAKE_MESSAGE, RunnerVariables, stepBaseEnvironment } from './identity';
import { createCellContext } from './cell-context';
import { CellSource, emptyWorkspace, missingSource } from './checkout';
import { CHECKOUT_VARIABLE } from '../asl/runner-context-seams';
import { logCalls } from './call-log';
import { LogMasker } from './masker';
import { Runner } from './runner';

function clients(env: NodeJS.ProcessEnv): { dynamodb: DynamoDBClient; sfn: SFNClient; secrets: SecretsManagerClient } {
  const accessKeyId = env[RunnerVariables.accessKeyId];
  const secretAccessKey = env[RunnerVariables.secretAccessKey];
  const local = accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {};
  const dynamodbEndpoint = env[RunnerVariables.dynamodbEndpoint];
  const sfnEndpoint = env[RunnerVariables.stepFunctionsEndpoint];
  const dynamodb = new DynamoDBClient({ ...local, ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}) });
  const sfn = new SFNClient({ ...local, ...(sfnEndpoint ? { endpoint: sfnEndpoint } : {}) });
  const secretsEndpoint = env[RunnerVariables.secretsManagerEndpoint];
  const secrets = new SecretsManagerClient({ ...local, ...(secretsEndpoint ? { endpoint: secretsEndpoint } : {}) });
  const callsFile = env[RunnerVariables.callsFile];
  return callsFile ? { dynamodb: logCalls(dynamodb, callsFile), sfn: logCalls(sfn, callsFile), secrets: logCalls(secrets, callsFile) } : { dynamodb, sfn, secrets };
}

/** Where a step's log is for a reader of the failure: the build's log in the console on AWS. */
function logLink(env: NodeJS.ProcessEnv): (file: string) => string {
  const buildId = env.CODEBUILD_BUILD_ID ?? '';
  const region = env.AWS_REGION ?? '';
  if (env[RunnerVariables.logDir] !== undefined || !buildId.includes(':')) return (file) => file;
  const [project, id] = buildId.split(':');
  const url = `https://${region}.console.aws.amazon.com/codesuite/codebuild/projects/${project}/build/${encodeURIComponent(`${project}:${id}`)}/log?region=${region}`;
  return () => url;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const identity = readIdentity(env);
  const pollMs = pollIntervals(env[RunnerVariables.pollMs]);
  // Taken before the SDK notice switch below: steps get the environment the runner was given.
  const baseEnv = stepBaseEnvironment(env);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { dynamodb, sfn, secrets } = clients(env);
  const root = await mkdtemp(join(env.TMPDIR ?? tmpdir(), 'stepdeploy-runner-'));
  const context = await createCellContext(env, identity, root);
  if (env[RunnerVariables.emptyWorkspace] === 'true') await emptyWorkspace(identity.workspace);
  // Before any step: the copy a later checkout writes from.
  const missing = missingSource(env[CHECKOUT_VARIABLE], env[RunnerVariables.repository]);
  const source = await CellSource.start(identity.workspace, env[RunnerVariables.keepSource] === 'true', root, missing);
  const idleSeconds = Number(env[RunnerVariables.idleSeconds] ?? 3600);
  const runner = new Runner({
    identity,
    table: { name: identity.table, client: dynamodb },
    sfn,
    tempDir: context.runner.temp,
    logDir: env[RunnerVariables.logDir] ?? join(root, 'logs'),
    context,
    source,
    logLink: logLink(env),
    baseEnv,
    masker: new LogMasker(),
    stores: { secrets },
    echo: (line) => process.stdout.write(`${line}\n`),
    pollMs,
    checkExecutionMs: 60_000,
    idleMs: idleSeconds * 1000,
    graceMs: 5000,
    now: Date.now,
    ...(env[RunnerVariables.stepPidsFile] ? { stepPidsFile: env[RunnerVariables.stepPidsFile] } : {}),
    ...(env[RunnerVariables.actionsDir] ? { actionsDir: env[RunnerVariables.actionsDir] } : {}),
  });
  // A stopped build (StopBuild, the local engine) ends its steps with it.
  process.once('SIGTERM', () => runner.requestStop());
  if (process.channel !== undefined) {
    process.on('message', (message) => {
      if (message === RUNNER_WAKE_MESSAGE) runner.wake();
    });
    // The channel alone never keeps the runner alive.
    process.channel.unref();
    // An engine gone already is no concern of the runner's: it stops with its execution.
    process.send?.(RUNNER_UP_MESSAGE, undefined, undefined, () => undefined);
  }
  await runner.run();
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
