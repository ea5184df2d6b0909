// Job start with vars, secrets and an environment, through the evaluate handler with stores that
// answer like Parameter Store and Secrets Manager (in memory: the local engine's own servers are
// covered by test/e2e/secrets.test.ts).
import { describe, expect, it } from 'vitest';
import { evaluateOp } from '../../../lib/runtime/evaluate';
import type { CellData } from '../../../lib/runtime/evaluate/data';
import { withLookups } from '../../../lib/runtime/evaluate/with-lookups';
import type { ValueStores } from '../../../lib/runtime/stores/value-stores';

const parameters = new Map([
  ['/stepdeploy/demo/REGION', 'us-east-1'],
  ['/stepdeploy/demo/env/production/REGION', 'eu-west-1'],
  ['/stepdeploy/demo/STAGE', 'production'],
]);
const secretNames = new Set(['stepdeploy/demo/DB_PASSWORD', 'stepdeploy/demo/env/production/API_TOKEN']);
const stores: ValueStores = {
  parameters: async (names) => new Map(names.filter((name) => parameters.has(name)).map((name) => [name, parameters.get(name)!])),
  secretExists: async (name) => secretNames.has(name),
};

const execution = { id: 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-demo:run-1', name: 'run-1', startTime: '2026-11-21T10:00:00.000Z' };
const cell = (event: unknown = {}): CellData => ({
  run: { workflow: { id: 'demo', name: 'demo' }, runName: 'demo', inputs: {}, event, execution, env: {}, lock: null, github: {} as never, checkout: { kind: 'default' } },
  needs: {},
  steps: {},
});
const rules = { production: { requiredReviewers: ['alice'], waitTimerMinutes: 5, branches: ['main'] }, staging: { requiredReviewers: [], waitTimerMinutes: 0 } };

async function jobStart(extra: Record<string, unknown>, context = cell({ ref: 'refs/heads/main' })) {
  const event = {
    op: 'job.start',
    job: 'deploy',
    needs: [],
    env: { TARGET: '${{ vars.REGION }}' },
    vars: { names: ['REGION', 'STAGE'], prefix: '/stepdeploy/demo' },
    secrets: { names: ['API_TOKEN', 'DB_PASSWORD'], prefix: 'stepdeploy/demo' },
    environment: { name: '${{ vars.STAGE }}', declared: ['production', 'staging'], rules },
    context,
    ...extra,
  };
  return evaluateOp(await withLookups(event as never, stores)) as Record<string, unknown>;
}

describe('job start with vars, secrets and an environment', () => {
  it('takes the environment’s values first and finds which secret to give the runner, never its value', async () => {
    const job = await jobStart({});
    expect(job['environment']).toEqual({ name: 'production', reviewers: ['alice'], approval: true, waitSeconds: 300 });
    expect(job['vars']).toEqual({ REGION: 'eu-west-1', STAGE: 'production' });
    expect(job['env']).toEqual({ TARGET: 'eu-west-1' });
    expect(job['secrets']).toEqual({ API_TOKEN: 'stepdeploy/demo/env/production/API_TOKEN', DB_PASSWORD: 'stepdeploy/demo/DB_PASSWORD' });
  });

  it('gives a step its secrets as SECRETS_MANAGER variables holding secret names', async () => {
    const job = await jobStart({});
    const prepared = evaluateOp({ op: 'step.prepare', job: 'deploy', step: 'ship', kind: 'run', env: {}, secrets: { DB_PASSWORD: 'DB_PASSWORD', STEPDEPLOY_EXPR_1: 'API_TOKEN' }, context: { ...cell(), job } } as never) as { env: unknown[] };
    expect(prepared.env).toContainEqual({ Name: 'DB_PASSWORD', Value: 'stepdeploy/demo/DB_PASSWORD', Type: 'SECRETS_MANAGER' });
    expect(prepared.env).toContainEqual({ Name: 'STEPDEPLOY_EXPR_1', Value: 'stepdeploy/demo/env/production/API_TOKEN', Type: 'SECRETS_MANAGER' });
  });

  it('fails the job naming what is missing, and a ref the environment does not allow', async () => {
    await expect(jobStart({ environment: { name: 'staging', declared: ['production', 'staging'], rules } })).rejects.toThrowError(
      'jobs.deploy: secrets.API_TOKEN is not set: no secret stepdeploy/demo/env/staging/API_TOKEN or stepdeploy/demo/API_TOKEN in AWS Secrets Manager',
    );
    await expect(jobStart({}, cell({ ref: 'refs/heads/feature' }))).rejects.toThrowError(
      "jobs.deploy.environment: environment 'production' allows only branch main: 'refs/heads/feature' may not deploy there",
    );
    await expect(jobStart({ environment: { name: 'qa', declared: ['production', 'staging'], rules } })).rejects.toThrowError(
      "jobs.deploy.environment: 'qa' is not declared in environments.yml (declared: production, staging)",
    );
  });

  it('skips a job whose needs failed without looking at its secrets', async () => {
    const job = await jobStart({ needs: ['build'], secrets: { names: ['NOWHERE'], prefix: 'stepdeploy/demo' } }, { ...cell(), needs: { build: { result: 'failure', outputs: {} } } });
    expect(job).toMatchObject({ run: false, secrets: {}, vars: {}, environment: null });
  });
});
