import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedRunnerBundle, runnerBundleFolder } from '../../lib/local/runner-bundle-cache';
import { RUNNER_ENTRY } from '../../lib/runner/bundle';

const dir = await mkdtemp(join(tmpdir(), 'runner-bundle-cache-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the local runner bundle cache', () => {
  it('bundles once, then reuses the bundle while its inputs are unchanged, and bundles again when one changes', async () => {
    const cache = join(dir, 'cache');
    const first = cachedRunnerBundle(cache);
    expect(first.made).toBe(true);
    const inputs = JSON.parse(await readFile(join(runnerBundleFolder(cache), 'inputs.json'), 'utf8')) as string[];
    expect(inputs).toContain(RUNNER_ENTRY);
    expect(await readFile(first.file, 'utf8')).toContain('createRequire');

    expect(cachedRunnerBundle(cache)).toEqual({ file: first.file, made: false });

    // An input that changed since (here: one more file the record names) no longer matches the stored bundle.
    const extra = join(dir, 'extra.ts');
    await writeFile(extra, 'export {};\n');
    await writeFile(join(runnerBundleFolder(cache), 'inputs.json'), JSON.stringify([...inputs, extra]));
    const again = cachedRunnerBundle(cache);
    expect(again.made).toBe(true);
    expect(cachedRunnerBundle(cache)).toEqual({ file: again.file, made: false });
  });
});
