// Every local server survives every request (issue 11, finding 2): a client that disconnects
// mid-body used to kill `stepdeploy dev` (an unhandled 'aborted' error) and every execution in it.
// Each server gets ≥ 1,000 malformed requests, then answers a good one.

import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamodbClient } from '../../lib/local/dynalite-server';
import { LocalEngine } from '../../lib/local/engine';
import { startFunctionUrlServer, type FunctionUrlServer } from '../../lib/local/function-url-server';
import { engineTemplate } from '../fixtures/templates/engine-template';
import { sendMalformedRequests, type FuzzReport } from './support/request-fuzz';

const COUNT = 1000;
let engine: LocalEngine;
let functionUrl: FunctionUrlServer;
const invoked: number[] = [];

beforeAll(async () => {
  engine = await LocalEngine.start({ templates: [engineTemplate], handlerModules: (name) => import(`../fixtures/handlers/${name}.ts`) });
  functionUrl = await startFunctionUrlServer({
    host: '127.0.0.1',
    port: 0,
    invoke: async (event) => {
      invoked.push(event.body?.length ?? 0);
      return { statusCode: 200, body: JSON.stringify(JSON.parse(event.body ?? '{}')) };
    },
    onError: () => undefined,
  });
});

afterAll(async () => {
  await functionUrl?.close();
  await engine?.close();
});

const portOf = (endpoint: string) => Number(new URL(endpoint).port);
const describeFuzz = (report: FuzzReport) => `${report.sent} sent (${Object.entries(report.byKind).map(([k, v]) => `${k} ${v}`).join(', ')}), ${report.answered} answered`;
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

describe(`${COUNT} malformed requests, then a good one`, () => {
  it('the Step Functions API (and the EventBridge and Secrets Manager APIs on its port)', { timeout: 600_000 }, async () => {
    const operations = ['StartExecution', 'StopExecution', 'DescribeExecution', 'GetExecutionHistory', 'SendTaskSuccess', 'SendTaskFailure', 'ListExecutions'];
    const report = await sendMalformedRequests(
      { port: portOf(engine.endpoints.stepFunctions), targets: [...operations.map((op) => `AWSStepFunctions.${op}`), 'AWSEvents.PutEvents', 'secretsmanager.GetSecretValue'] },
      { seed: 11, count: COUNT, concurrency: 16 },
    );
    console.log(`Step Functions API: ${describeFuzz(report)}`);
    expect(report.sent).toBe(COUNT);
    const sfn = new SFNClient({ endpoint: engine.endpoints.stepFunctions, region: 'us-east-1', credentials });
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.length).toBeGreaterThan(0);
    sfn.destroy();
  });

  it('DynamoDB (dynalite)', { timeout: 600_000 }, async () => {
    const report = await sendMalformedRequests(
      { port: portOf(engine.endpoints.dynamodb), targets: ['PutItem', 'GetItem', 'Query', 'Scan', 'CreateTable', 'UpdateItem'].map((op) => `DynamoDB_20120810.${op}`) },
      { seed: 12, count: COUNT, concurrency: 16 },
    );
    console.log(`dynalite: ${describeFuzz(report)}`);
    const client = dynamodbClient(engine.endpoints.dynamodb);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([...engine.tableNames].sort());
    client.destroy();
  });

  it('the function URL server', { timeout: 600_000 }, async () => {
    const report = await sendMalformedRequests({ port: portOf(functionUrl.url), targets: ['x'], path: '/hook' }, { seed: 13, count: COUNT, concurrency: 16 });
    console.log(`function URL: ${describeFuzz(report)}`);
    const good = await fetch(`${functionUrl.url}hook`, { method: 'POST', body: '{"ok":true}' });
    expect([good.status, await good.text()]).toEqual([200, '{"ok":true}']);
  });
});
