import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allowedKeys, type KeyPlace } from '../../lib/model/keys';

// The JSON Schema drives editor completion; the validator is the authority. These tests keep the two
// from drifting: same keys at every place, and what the schema accepts or rejects on known cases.
const schemaPath = join(import.meta.dirname, '../../schema/workflow.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, any>;
const definitions = schema.definitions as Record<string, any>;
const onMapping = definitions.on.oneOf[2];
const rulesSchema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/environments.schema.json'), 'utf8')) as Record<string, any>;

const propertiesAt: Record<KeyPlace, Record<string, any>> = {
  workflow: schema.properties,
  events: onMapping.properties,
  workflowDispatch: onMapping.properties.workflow_dispatch.oneOf[1].properties,
  input: definitions.input.properties,
  workflowCall: onMapping.properties.workflow_call.oneOf[1].properties,
  callInput: definitions.callInput.properties,
  callSecret: definitions.callSecret.properties,
  callOutput: definitions.callOutput.properties,
  push: onMapping.properties.push.oneOf[1].properties,
  schedule: onMapping.properties.schedule.items.properties,
  pullRequest: onMapping.properties.pull_request.oneOf[1].properties,
  activityTypes: onMapping.properties.release.oneOf[1].properties,
  workflowRun: onMapping.properties.workflow_run.properties,
  concurrency: definitions.concurrency.oneOf[1].properties,
  job: definitions.job.properties,
  defaults: definitions.defaults.properties,
  defaultsRun: definitions.defaults.properties.run.properties,
  runsOn: definitions.runsOn.oneOf[2].properties,
  strategy: definitions.strategy.properties,
  step: definitions.step.properties,
  lambdaWith: definitions.step.properties.with.properties,
  retry: definitions.step.properties.retry.properties,
  environment: definitions.environment.oneOf[1].properties,
  rulesFile: rulesSchema.properties,
  environmentRules: rulesSchema.definitions.rules.properties,
};

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

describe('schema/workflow.schema.json', () => {
  it.each(Object.keys(allowedKeys) as KeyPlace[])('has exactly the keys the validator allows at %s, each described', (place) => {
    const properties = propertiesAt[place];
    expect(Object.keys(properties).sort()).toEqual([...allowedKeys[place]].sort());
    const owner = place === 'rulesFile' || place === 'environmentRules' ? rulesSchema.definitions : definitions;
    for (const [key, property] of Object.entries(properties)) {
      const description = property.description ?? (property.$ref ? owner[String(property.$ref).split('/').pop() as string]?.description : undefined);
      expect(description, `${place}.${key}`).toMatch(/\w/);
    }
  });

  it('is a valid draft-07 schema', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(() => validator()).not.toThrow();
  });

  it('environments.yml has a schema that rejects what the loader rejects', () => {
    const check = new Ajv({ allErrors: true, strict: false }).compile(rulesSchema);
    expect(check(parse('environments:\n  production:\n    required-reviewers: [alice]\n    wait-timer: 30\n    branches: [main]\n  staging:\n'))).toBe(true);
    expect(check(parse('environments:\n  production:\n    wait-timer: 43201\n'))).toBe(false);
    expect(check(parse('environments:\n  production:\n    reviewers: [alice]\n'))).toBe(false);
  });

  it.each([
    ['a runner group', 'on: push\njobs:\n  build:\n    runs-on: {group: big}\n    steps: [{run: echo}]\n'],
    ['a Docker action', 'on: push\njobs:\n  build:\n    steps: [{uses: "docker://alpine:3"}]\n'],
    ['a lambda step without function', 'on: push\njobs:\n  build:\n    steps: [{uses: aws/lambda, with: {payload: {}}}]\n'],
    ['a permission value', 'on: push\npermissions: {contents: admin}\njobs:\n  build:\n    steps: [{run: echo}]\n'],
    ['a shell in defaults', 'on: push\ndefaults: {run: {shell: sh}}\njobs:\n  build:\n    steps: [{run: echo}]\n'],
    ['an unsupported event', 'on: issues\njobs:\n  build:\n    steps: [{run: echo}]\n'],
    ['a workflow_run without workflows', 'on: {workflow_run: {types: [completed]}}\njobs:\n  build:\n    steps: [{run: echo}]\n'],
    ['an unknown workflow_run type', 'on: {workflow_run: {workflows: [b], types: [done]}}\njobs:\n  build:\n    steps: [{run: echo}]\n'],
    ['an unknown release type', 'on: {release: {types: [shipped]}}\njobs:\n  build:\n    steps: [{run: echo}]\n'],
    ['a queue mode', 'on: push\nconcurrency: {group: g, queue: latest}\njobs:\n  build:\n    steps: [{run: echo}]\n'],
    ['a job id over 100 characters', `on: push\njobs:\n  ${'a'.repeat(101)}:\n    steps: [{run: echo}]\n`],
    ['a reserved job id', 'on: push\njobs:\n  __build:\n    steps: [{run: echo}]\n'],
    ['a step with run and uses', 'on: push\njobs:\n  build:\n    steps: [{run: echo, uses: aws/lambda}]\n'],
  ])('rejects %s, as the validator does', (_, text) => {
    expect(validator()(parse(text))).toBe(false);
  });
});
