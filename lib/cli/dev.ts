// `stepdeploy dev`: the local engine as a long-running service, for the AWS CLI, SDK scripts and
// `stepdeploy start/watch --endpoint`: Step Functions API and DynamoDB on loopback until Ctrl+C,
// and the GitHub webhook's function URL when a workflow has `on.push`.

import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { synthesizeLocalTemplate } from '../constructs/local-synth';
import { projectContext } from '../model/project-config';
import { isWorkflowFileName } from '../constructs/load-workflows';
import { LocalEngine, type LocalEngineOptions } from '../local/engine';
import { startFunctionUrlServer, type FunctionUrlServer } from '../local/function-url-server';
import { TemplateError } from '../local/intrinsics';
import { randomSecret } from '../local/secrets';
import { cellWorkspaceFrom, workingTreeRoot } from '../local/workspace-source';
import { commandWithUsage, parseCommandArgs, UsageError } from './args';
import type { Command } from './io';
import { storeOptions, storeOptionsHelp, storeValues, workflowIdOf } from './store-values';
import { reportProblems } from './validate';

export const devHelp = `Usage: stepdeploy dev [--port N] [--workflows DIR] [--data DIR] [--webhook-port N] [--webhook-secret VALUE] [--secret NAME[=VALUE]]... [--var NAME=VALUE]...

Runs the workflows' state machines locally (the same template 'cdk deploy' ships) and serves the
Step Functions API and DynamoDB on 127.0.0.1 until Ctrl+C. When a workflow has 'on.push', the
GitHub webhook receiver is served too: a signed push starts a local execution, as in AWS.

Options:
  --port N                port of the Step Functions API (default 8083; 0: any free port)
  --workflows DIR         the workflow files (*.yml, *.yaml) to run (default: workflows)
  --data DIR              keep DynamoDB data and run-step logs here across restarts (default: in memory)
  --webhook-port N        port of the GitHub webhook (default 8084; 0: any free port)
  --webhook-secret VALUE  the secret deliveries are signed with (default: $STEPDEPLOY_WEBHOOK_SECRET,
                          else a random one, printed at start)
${storeOptionsHelp}  -h, --help              show this help

Secrets Manager (GetSecretValue, DescribeSecret) and SSM Parameter Store (GetParameter, GetParameters)
are served on the Step Functions API's port, holding the --secret and --var values of every workflow.

Sign a payload as GitHub does:
  sig=$(printf %s "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
  curl -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: $(openssl rand -hex 16)" \\
       -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$BODY" http://127.0.0.1:8084/
`;

export interface DevDependencies {
  /** `context`: the cdk.json's stepdeploy context, so the template is the one cdk deploy would ship. */
  readonly synthesize: (files: readonly string[], context: Readonly<Record<string, unknown>>) => Promise<{ template?: object; problems: Parameters<typeof reportProblems>[0] }>;
  readonly startEngine: (options: LocalEngineOptions) => Promise<LocalEngine>;
  /** Resolves when the service should stop (SIGINT or SIGTERM for the real command). */
  readonly untilStopped: () => Promise<string>;
}

const untilSignal = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

function parsePort(text: string, option = '--port'): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`option '${option}' must be a port number (0-65535) — got '${text}'`, 'dev');
  return port;
}

/** The webhook secret and where it came from (a generated one is shown once, at start). */
function chooseWebhookSecret(given: string | undefined, env: Readonly<Record<string, string | undefined>>): { value: string; source: string } {
  if (given !== undefined) {
    if (given === '') throw new UsageError("option '--webhook-secret' must not be empty", 'dev');
    return { value: given, source: 'from --webhook-secret' };
  }
  const fromEnv = env['STEPDEPLOY_WEBHOOK_SECRET'];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'from STEPDEPLOY_WEBHOOK_SECRET' };
  const value = randomSecret();
  return { value, source: `${value}  (generated; choose one with --webhook-secret or STEPDEPLOY_WEBHOOK_SECRET)` };
}

async function workflowFiles(dir: string, shown: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    throw new UsageError(`cannot read the workflows directory '${shown}'`, 'dev');
  }
  const files = entries.filter(isWorkflowFileName).sort();
  if (files.length === 0) throw new UsageError(`no workflow files (*.yml, *.yaml) in '${shown}'`, 'dev');
  return files.map((name) => join(dir, name));
}

export function devCommand(dependencies: DevDependencies): Command {
  return commandWithUsage(async (args, io) => {
    const { values, positionals } = parseCommandArgs('dev', args, {
      port: { type: 'string', default: '8083' },
      workflows: { type: 'string', default: 'workflows' },
      data: { type: 'string' },
      'webhook-port': { type: 'string', default: '8084' },
      'webhook-secret': { type: 'string' },
      ...storeOptions,
    });
    if (values.help) {
      io.stdout(devHelp);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'dev');
    const port = parsePort(values.port);
    const webhookPort = parsePort(values['webhook-port'], '--webhook-port');
    const webhookSecret = chooseWebhookSecret(values['webhook-secret'], io.env);
    const files = await workflowFiles(resolve(io.cwd, values.workflows), values.workflows);
    const stored = await storeValues(values, files.map(workflowIdOf), io, 'dev');

    const { template, problems } = await dependencies.synthesize(files, files[0] === undefined ? {} : await projectContext(files[0]));
    if (problems.length > 0 || !template) {
      reportProblems(problems, io);
      return 1;
    }
    const data = values.data === undefined ? undefined : resolve(io.cwd, values.data);
    let engine: LocalEngine;
    try {
      engine = await dependencies.startEngine({
        templates: [template],
        port,
        webhookSecret: webhookSecret.value,
        secretValues: stored.secrets,
        parameterValues: stored.parameters,
        // A push runs the pushed commit of this repository; any other start, a copy of the working tree.
        prepareWorkspace: cellWorkspaceFrom(await workingTreeRoot(io.cwd), data === undefined ? [] : [data]),
        ...(data ? { dataDir: join(data, 'dynamodb'), logDir: join(data, 'logs'), processRegistryFile: join(data, 'processes') } : {}),
      });
    } catch (error) {
      if (error instanceof TemplateError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        io.stderr(`stepdeploy dev: ${(error as Error).message}\n`);
        return 1;
      }
      throw error;
    }
    engine.on('warning', (message) => io.stderr(`warning: ${message}\n`));
    // The stack has one function URL, GitHub's webhook receiver, when a workflow has on.push.
    const receiver = engine.functionUrls.find((url) => url.handler === 'webhook');
    let webhook: FunctionUrlServer | undefined;
    if (receiver) {
      try {
        webhook = await startFunctionUrlServer({
          host: '127.0.0.1',
          port: webhookPort,
          invoke: (event) => engine.invokeFunction(receiver.functionName, event),
          onError: (error) => io.stderr(`warning: the webhook receiver failed: ${error.message}\n`),
        });
      } catch (error) {
        await engine.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          io.stderr(`stepdeploy dev: the webhook port ${webhookPort} is in use; choose another with --webhook-port\n`);
          return 1;
        }
        throw error;
      }
    }
    const width = Math.max(...engine.stateMachines.map((machine) => machine.name.length));
    io.stdout(
      [
        'stepdeploy dev: the local engine is running',
        `  Step Functions API  ${engine.endpoints.stepFunctions}`,
        `  DynamoDB            ${engine.endpoints.dynamodb}`,
        ...engine.tableNames.map((table) => `  Locks table         ${table}  (stepdeploy locks --endpoint ${engine.endpoints.dynamodb} --table ${table})`),
        ...(webhook ? [`  Webhook             ${webhook.url}`, `  Webhook secret      ${webhookSecret.source}`] : []),
        '  State machines:',
        ...engine.stateMachines.map((machine) => `    ${machine.name.padEnd(width)}  ${machine.arn}`),
        ...restartLines(engine),
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    const signal = await dependencies.untilStopped();
    io.stdout(`Stopping (${signal}): ending running executions…\n`);
    await webhook?.close();
    await engine.close();
    io.stdout('Stopped.\n');
    return 0;
  });
}

export const dev: Command = devCommand({ synthesize: (files, context) => synthesizeLocalTemplate(files, undefined, context), startEngine: LocalEngine.start, untilStopped: untilSignal });

/** What a restart on persisted data cleaned up after the engine that died: said once, at start. */
function restartLines(engine: LocalEngine): string[] {
  const lines: string[] = [];
  if (engine.killedProcessGroups.length > 0) {
    lines.push(`  Killed ${engine.killedProcessGroups.length} runner and step process group(s) the previous engine left running: ${engine.killedProcessGroups.join(', ')}`);
  }
  if (engine.lostExecutions.length > 0) {
    lines.push(`  Ended as ABORTED (they did not survive the previous engine; what they held is released):`, ...engine.lostExecutions.map((arn) => `    ${arn}`));
  }
  return lines;
}
