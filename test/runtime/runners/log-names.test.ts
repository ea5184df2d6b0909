import { describe, expect, it } from 'vitest';
import { cellOfRunnerId, parseStepLogFileName, stepLogFileName } from '../../../lib/runtime/runners';

describe('step log file names', () => {
  it('name the state, the matrix cell and the attempt', () => {
    expect(stepLogFileName('deploy.apply: run', undefined, 1)).toBe('deploy.apply_run.log');
    expect(stepLogFileName('deploy.apply: run', undefined, 2)).toBe('deploy.apply_run.2.log');
    expect(stepLogFileName('deploy.apply: run', 0, 1)).toBe('deploy.apply_run@0.log');
    expect(stepLogFileName('deploy.apply: run', 12, 3)).toBe('deploy.apply_run@12.3.log');
  });

  it('read back as they were written; other files are not step logs', () => {
    expect(parseStepLogFileName('deploy.apply_run@12.3.log')).toEqual({ key: 'deploy.apply_run@12', state: 'deploy.apply_run', cell: 12, attempt: 3 });
    expect(parseStepLogFileName('deploy.apply_run.log')).toEqual({ key: 'deploy.apply_run', state: 'deploy.apply_run', attempt: 1 });
    expect(parseStepLogFileName('runner.txt')).toBeUndefined();
    expect(parseStepLogFileName('a b.log')).toBeUndefined();
  });

  it('take the cell from the runner id', () => {
    expect(cellOfRunnerId('arn:aws:states:us-east-1:000000000000:execution:m:e#deploy#3')).toBe(3);
    expect(cellOfRunnerId('arn:aws:states:us-east-1:000000000000:execution:m:e#deploy')).toBeUndefined();
  });
});
