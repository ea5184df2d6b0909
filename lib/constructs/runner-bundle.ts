// The runner program for CodeBuild: lib/runner bundled by the local esbuild at synth (one ESM file, no
// Docker; lib/runner/bundle.ts) into an S3 asset the runner project's buildspec fetches and runs. A
// synth that skips bundling (the local engine's) makes none: the engine bundles the runner itself.

import { AssetHashType, BundlingOutput, DockerImage } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { bundleRunner, RUNNER_BUNDLE_FILE } from '../runner/bundle';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { codeRoot } from '../package-layout';

export { RUNNER_BUNDLE_FILE };

export function runnerBundle(scope: Construct, id: string): Asset {
  return new Asset(scope, id, {
    path: join(codeRoot, 'lib', 'runner'),
    // The bundle also holds lib/runtime code: hash what was built, not the folder.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('stepdeploy-runner-is-bundled-locally'),
      outputType: BundlingOutput.SINGLE_FILE,
      local: {
        tryBundle(outputDir: string): boolean {
          bundleRunner(join(outputDir, RUNNER_BUNDLE_FILE), { minify: true });
          return true;
        },
      },
    },
  });
}
