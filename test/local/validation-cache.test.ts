import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalEngine } from '../../lib/local/engine';
import { definitionHash, fileValidationCache, type ValidationCache } from '../../lib/local/validation-cache';

const machine = (workflow: string, definition: object): object => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { DefinitionString: JSON.stringify(definition), RoleArn: 'arn:aws:iam::000000000000:role/r' },
  Metadata: { 'stepdeploy:workflow': workflow },
});
const valid = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
// The library runs it (it ignores the unknown key), but the check refuses it.
const invalid = { StartAt: 'Done', States: { Done: { Type: 'Pass', Surplus: 1, End: true } } };
const template = { Resources: { Valid: machine('valid', valid), Invalid: machine('invalid', invalid) } };

/** A cache that records what the engine asks it. */
function recording(known: readonly string[] = []): ValidationCache & { asked: string[]; remembered: string[] } {
  const entries = new Set(known);
  const asked: string[] = [];
  const remembered: string[] = [];
  return {
    asked,
    remembered,
    has: (hash) => (asked.push(hash), entries.has(hash)),
    remember: (hash) => void (remembered.push(hash), entries.add(hash)),
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validation-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('definitionHash', () => {
  test('is the same for equal definitions and differs for different ones', () => {
    expect(definitionHash(structuredClone(valid))).toBe(definitionHash(valid));
    expect(definitionHash(invalid)).not.toBe(definitionHash(valid));
    expect(definitionHash(valid)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('fileValidationCache', () => {
  test('remembers across instances on disk, one file per hash', async () => {
    const cacheDir = join(dir, 'files');
    const first = fileValidationCache(cacheDir);
    expect(first.has('abc')).toBe(false);
    first.remember('abc');
    expect(fileValidationCache(cacheDir).has('abc')).toBe(true);
    expect(fileValidationCache(cacheDir).has('def')).toBe(false);
    expect(await readdir(join(cacheDir, 'valid-asl'))).toEqual(['abc']);
  });

  test('a cache it cannot write costs only the check', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const cache = fileValidationCache(join(file, 'cache')); // under a file: every write fails
    cache.remember('abc');
    expect(cache.has('abc')).toBe(true);
    expect(fileValidationCache(join(file, 'cache')).has('abc')).toBe(false);
  });
});

describe('the engine and the cache', () => {
  test('validates a definition once, then trusts its hash; an invalid one is rejected each time', async () => {
    const cache = recording();
    const engine = await LocalEngine.start({ templates: [template], validationCache: cache });
    try {
      const arn = (id: string) => engine.stateMachines.find((m) => m.id === id)!.arn;
      const { executionArn } = engine.startExecution(arn('valid'));
      expect((await engine.waitForExecution(executionArn!)).status).toBe('SUCCEEDED');
      expect(cache.remembered).toEqual([cache.asked[0]]);
      expect(() => engine.startExecution(arn('invalid'))).toThrow(/^State machine 'invalid': State machine definition is invalid, see error\(s\) below:/);
      expect(cache.remembered).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });

  test('a hash it knows is not validated: the library accepts what the check would refuse', async () => {
    // Proof that the check is skipped: the invalid definition's hash, marked as known, runs.
    const engine = await LocalEngine.start({ templates: [template], validationCache: recording([]) });
    const probe = recording();
    try {
      const arn = engine.stateMachines.find((m) => m.id === 'invalid')!.arn;
      expect(() => engine.startExecution(arn)).toThrow(/invalid/);
    } finally {
      await engine.close();
    }
    const trusting: ValidationCache = { has: (hash) => (probe.asked.push(hash), true), remember: () => undefined };
    const second = await LocalEngine.start({ templates: [template], validationCache: trusting });
    try {
      const arn = second.stateMachines.find((m) => m.id === 'invalid')!.arn;
      const { executionArn } = second.startExecution(arn);
      expect((await second.waitForExecution(executionArn!)).status).toBe('SUCCEEDED');
      expect(probe.asked).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
