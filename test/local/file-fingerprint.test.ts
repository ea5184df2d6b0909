import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addFileStamp, filesFingerprint } from '../../lib/local/file-fingerprint';

const dir = await mkdtemp(join(tmpdir(), 'file-fingerprint-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('file fingerprints (the local template and runner bundle caches)', () => {
  it('change with a file\'s size, modification time, disappearance and return, and with its name', async () => {
    const file = join(dir, 'input.ts');
    await writeFile(file, 'a');
    const before = filesFingerprint([file]);
    expect(filesFingerprint([file])).toBe(before);
    const seen = new Set([before]);
    await writeFile(file, 'ab');
    seen.add(filesFingerprint([file]));
    await utimes(file, new Date(1_000_000), new Date(1_000_000));
    seen.add(filesFingerprint([file]));
    await rm(file);
    const missing = filesFingerprint([file]);
    seen.add(missing);
    await writeFile(file, 'ab');
    await utimes(file, new Date(2_000_000), new Date(2_000_000));
    seen.add(filesFingerprint([file]));
    expect(seen.size).toBe(5);
    // The name a stamp is recorded under counts, not only the file it reads.
    const stamp = (name: string) => addFileStamp(createHash('sha256'), name, file).digest('hex');
    expect(stamp('lib/a.ts')).not.toBe(stamp('lib/b.ts'));
    expect(stamp('lib/a.ts')).toBe(stamp('lib/a.ts'));
  });
});
