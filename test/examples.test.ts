import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadWorkflowFile } from '../lib/model/load';
import type { Matrix, RunStep } from '../lib/model/workflow';

const examples = join(import.meta.dirname, '../examples');
const files = readdirSync(examples).filter((name) => name.endsWith('.yml')).sort();
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../schema/workflow.schema.json'), 'utf8'));

describe('examples/', () => {
  it('holds the documented examples', () => {
    expect(files).toEqual(['cancel-in-progress.yml', 'multi-region-deploy.yml', 'parallel-environments.yml', 'parallel-steps.yml', 'queue-max.yml']);
  });

  it.each(files)('%s loads with no problems and matches the JSON Schema', async (name) => {
    const result = await loadWorkflowFile(join(examples, name));
    expect(result.problems).toEqual([]);
    expect(result.workflow?.id).toBe(name.replace('.yml', ''));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(parse(readFileSync(join(examples, name), 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('multi-region-deploy fans out over five regions, two at a time, one group per region', async () => {
    const { workflow } = await loadWorkflowFile(join(examples, 'multi-region-deploy.yml'));
    const deploy = workflow?.jobs.find((job) => job.id === 'deploy');
    expect((deploy?.strategy?.matrix as Matrix | undefined)?.dimensions.region).toHaveLength(5);
    expect(deploy?.strategy?.maxParallel).toBe(2);
    expect(deploy?.concurrency?.group).toBe('deploy-${{ matrix.region }}');
  });

  // Every run script is real bash that finishes in a few seconds, reads values only from env vars
  // (expressions sit in env:, never in the script) and may write $STEPDEPLOY_OUTPUT.
  it('runs every run script with bash, exit code 0', async () => {
    const steps: { name: string; step: RunStep; envNames: string[] }[] = [];
    for (const name of files) {
      const { workflow } = await loadWorkflowFile(join(examples, name));
      for (const job of workflow?.jobs ?? []) {
        for (const step of job.steps) {
          if (step.kind !== 'run') continue;
          const envNames = [workflow?.env, job.env, step.env].flatMap((env) => Object.keys(env ?? {}));
          steps.push({ name: `${name} ${job.id}.${step.id}`, step, envNames });
        }
      }
    }
    expect(steps.length).toBeGreaterThanOrEqual(10);
    for (const { step } of steps) expect(step.run).not.toContain('${{');
    const directory = mkdtempSync(join(tmpdir(), 'stepdeploy-examples-'));
    const results = await Promise.all(
      steps.map(({ name, step, envNames }, index) => {
        const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', STEPDEPLOY_OUTPUT: join(directory, `output-${index}`) };
        for (const key of envNames) env[key] = `value-of-${key}`;
        return runBash(step.run, env).then((code) => ({ name, code }));
      }),
    );
    expect(results.filter((result) => result.code !== 0)).toEqual([]);
  });
});

function runBash(script: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // -u: a script reading a variable nobody sets fails here instead of printing an empty value.
    const child = spawn('bash', ['--noprofile', '--norc', '-euo', 'pipefail', '-c', script], { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', resolve);
  });
}
