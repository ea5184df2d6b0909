import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';
import { E2E_FIXTURES, Gates, historyEvent, RuntimeTable, stateEntered } from '../fixtures/e2e/support';

describe('explore', () => {
  let local: LocalWorkflows;
  let table: RuntimeTable;
  beforeAll(async () => {
    const t0 = Date.now();
    local = await startLocalWorkflows(['examples/cancel-in-progress.yml', 'examples/queue-max.yml', `${E2E_FIXTURES}/queue-single.yml`]);
    table = await RuntimeTable.of(local.engine);
    console.log('start ms', Date.now() - t0, table.name);
  });
  afterAll(() => local.close());

  it('cancel', async () => {
    const first = local.start('cancel-in-progress', { environment: 'staging' });
    await historyEvent(local.engine, first, stateEntered('deploy.step-1: run'));
    console.log(await table.members('deploy-staging'));
    const second = local.start('cancel-in-progress', { environment: 'staging' });
    const a = await local.finish(first);
    const b = await local.finish(second);
    console.log(a.status, a.error, a.cause, a.report.status, JSON.stringify(a.report.jobs));
    console.log(b.status, JSON.stringify(b.report.jobs));
    console.log(await table.keys());
  });
});
