import { describe, expect, it } from 'vitest';
import { codeBuildImages, lookUpRunner, runnerEnvironmentFor, runnerLabelTable } from '../../lib/model/runner-labels';

const table = runnerLabelTable();

describe('runner labels → CodeBuild environments', () => {
  it('maps the Ubuntu labels to the standard x86 image, small, and -arm labels to ARM', () => {
    const ubuntu = { image: codeBuildImages.ubuntu, computeType: 'BUILD_GENERAL1_SMALL', environmentType: 'LINUX_CONTAINER' };
    for (const label of ['ubuntu-latest', 'ubuntu-24.04', 'ubuntu-22.04', 'Ubuntu-Latest']) expect(runnerEnvironmentFor([label], table)).toEqual(ubuntu);
    expect(runnerEnvironmentFor([], table)).toEqual(ubuntu);
    for (const label of ['ubuntu-24.04-arm', 'ubuntu-latest-arm', 'ubuntu-22.04-arm']) {
      expect(runnerEnvironmentFor([label], table)).toEqual({ image: codeBuildImages.arm, computeType: 'BUILD_GENERAL1_SMALL', environmentType: 'ARM_CONTAINER' });
    }
  });

  it('combines an OS label with a size label; lambda is Lambda compute with its own image', () => {
    expect(runnerEnvironmentFor(['ubuntu-latest', 'stepdeploy-xlarge'], table)).toEqual({
      image: codeBuildImages.ubuntu,
      computeType: 'BUILD_GENERAL1_XLARGE',
      environmentType: 'LINUX_CONTAINER',
    });
    expect(runnerEnvironmentFor(['ubuntu-24.04-arm', 'stepdeploy-large'], table).computeType).toBe('BUILD_GENERAL1_LARGE');
    expect(runnerEnvironmentFor(['arm64', 'stepdeploy-medium'], table)).toEqual({ image: codeBuildImages.arm, computeType: 'BUILD_GENERAL1_MEDIUM', environmentType: 'ARM_CONTAINER' });
    expect(runnerEnvironmentFor(['lambda'], table)).toEqual({ image: codeBuildImages.lambda, computeType: 'BUILD_LAMBDA_2GB', environmentType: 'LINUX_LAMBDA_CONTAINER' });
  });

  it('takes the project’s labels over the defaults, and fills what they leave out', () => {
    const extended = runnerLabelTable({ gpu: { image: 'my/image:1', computeType: 'BUILD_GENERAL1_LARGE' }, 'ubuntu-latest': { image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0' } });
    expect(runnerEnvironmentFor(['gpu'], extended)).toEqual({ image: 'my/image:1', computeType: 'BUILD_GENERAL1_LARGE', environmentType: 'LINUX_CONTAINER' });
    expect(runnerEnvironmentFor(['ubuntu-latest'], extended).image).toBe('aws/codebuild/amazonlinux-x86_64-standard:5.0');
  });

  it('says why labels do not make one environment', () => {
    expect(lookUpRunner(['ubuntu-latest', 'macos-14'], table)).toEqual({ ok: false, reason: expect.stringMatching(/^unknown runner label 'macos-14' \(known labels: ubuntu-latest, /) });
    expect(lookUpRunner(['ubuntu-latest', 'ubuntu-latest-arm'], table)).toEqual({
      ok: false,
      reason: "labels 'ubuntu-latest' and 'ubuntu-latest-arm' choose different images ('aws/codebuild/standard:7.0', 'aws/codebuild/amazonlinux-aarch64-standard:3.0')",
    });
    const odd = runnerLabelTable({ tiny: { computeType: 'BUILD_LAMBDA_1GB' } });
    expect(lookUpRunner(['ubuntu-latest', 'tiny'], odd)).toEqual({
      ok: false,
      reason: "labels 'ubuntu-latest', 'tiny': compute type 'BUILD_LAMBDA_1GB' does not run environment type 'LINUX_CONTAINER' (Lambda compute types need a Lambda environment type and the other way round)",
    });
    expect(() => runnerEnvironmentFor(['nope'], table)).toThrow("runs-on: unknown runner label 'nope'");
  });
});
