// The example workflows' state machines, reviewed by eye and kept as golden files: a change to the
// renderer shows up here as a diff to read. Regenerate with UPDATE_GOLDEN=1 after reviewing it.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import validateAsl from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { renderFile } from './render-helpers';

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const goldenDir = join(import.meta.dirname, 'golden');
const examples = (await readdir(examplesDir)).filter((name) => name.endsWith('.yml')).sort();

describe('golden state machines of the examples', () => {
  it.each(examples)('%s renders its golden definition, which asl-validator accepts', async (name) => {
    const { definition } = await renderFile(join(examplesDir, name));
    const text = `${JSON.stringify(definition, null, 2)}\n`;
    const golden = join(goldenDir, `${basename(name, '.yml')}.asl.json`);
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(golden, text);
    expect(text).toBe(await readFile(golden, 'utf8'));
    const result = validateAsl(structuredClone(definition), { checkPaths: true, checkArn: false });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('rejects what Step Functions would reject (the validator is not a formality)', () => {
    const result = validateAsl({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }, { checkPaths: true, checkArn: false });
    expect(result.isValid).toBe(false);
  });
});
