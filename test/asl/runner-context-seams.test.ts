import { describe, expect, it } from 'vitest';
import { evaluatedEnvironmentParameters, runnerContextSeams } from '../../lib/asl/runner-context-seams';
import { seamParameters } from '../../lib/asl/runner-seams';
import { loadWorkflowText } from '../../lib/model/load';
import { codeBuildImages } from '../../lib/model/runner-labels';

const { workflow } = loadWorkflowText(
  'on: push\njobs:\n  plain:\n    steps: [{ run: a }]\n  sized:\n    runs-on: [ubuntu-latest, stepdeploy-large]\n    steps: [{ run: b }]\n  chosen:\n    strategy: { matrix: { os: [ubuntu-latest, lambda] } }\n    runs-on: ${{ matrix.os }}\n    steps: [{ run: c }]\n',
  'w.yml',
);
const [plain, sized, chosen] = workflow!.jobs;

describe('runnerContextSeams', () => {
  const seams = runnerContextSeams(workflow!);

  it('gives literal runs-on labels as StartBuild overrides, nothing without runs-on or for an expression', () => {
    expect(seamParameters(seams, plain!)).toEqual({});
    expect(seamParameters(seams, sized!)).toEqual({ ImageOverride: codeBuildImages.ubuntu, ComputeTypeOverride: 'BUILD_GENERAL1_LARGE', EnvironmentTypeOverride: 'LINUX_CONTAINER' });
    expect(seamParameters(seams, chosen!)).toEqual({});
    expect(evaluatedEnvironmentParameters(chosen!)).toEqual({
      'ImageOverride.$': '$.job.runnerEnvironment.image',
      'ComputeTypeOverride.$': '$.job.runnerEnvironment.computeType',
      'EnvironmentTypeOverride.$': '$.job.runnerEnvironment.environmentType',
    });
    expect(evaluatedEnvironmentParameters(sized!)).toEqual({});
  });

  it('hands the runner the run’s github context and checkout as JSON variables', () => {
    expect(seams.variables(plain!)).toEqual([
      { Name: 'STEPDEPLOY_GITHUB', 'Value.$': 'States.JsonToString($.run.github)', Type: 'PLAINTEXT' },
      { Name: 'STEPDEPLOY_CHECKOUT', 'Value.$': 'States.JsonToString($.run.checkout)', Type: 'PLAINTEXT' },
    ]);
  });
});
