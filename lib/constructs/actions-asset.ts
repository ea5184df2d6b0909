// The remote actions the app's workflows use (their steps' and their composite actions', at any depth), bundled at synth into one S3 asset (from the actions
// cache, where synth fetched the locked commits): the runner project's buildspec unpacks it, so a
// run never fetches code from GitHub. `<owner>/<repo>/<sha>/…`, as the cache and the runner read it.
// A synth that skips bundling (the local engine's) makes none: local runners read the cache itself.

import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, BundlingOutput, DockerImage } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { actionCacheDir, actionsCacheRoot, DIGEST_FILE } from '../model/actions/lock';
import type { Workflow } from '../model/workflow';
import { codeRoot } from '../package-layout';

export interface BundledAction {
  /** `owner/repo`. */
  readonly action: string;
  readonly sha: string;
}

/**
 * Every remote action of the workflows, the steps' own and those their composite actions use, once
 * each, sorted; one not locked yet is an error naming the step.
 */
export function remoteActionsOf(workflows: readonly Workflow[]): BundledAction[] {
  const found = new Map<string, BundledAction>();
  for (const workflow of workflows) {
    for (const job of workflow.jobs) {
      for (const step of job.steps) {
        if (step.kind !== 'action') continue;
        for (const { action, ref, sha } of [...(step.remote === undefined ? [] : [step.remote]), ...(step.nested ?? [])]) {
          if (sha === undefined) {
            const what = step.remote?.action === action && step.remote.ref === ref ? `'${step.uses}'` : `'${step.uses}' uses '${action}@${ref}', which`;
            throw new Error(`${workflow.file}: jobs.${job.id}.steps.${step.id}: ${what} is not in stepdeploy.lock.json: run \`stepdeploy actions update\` before synth`);
          }
          found.set(`${action}@${sha}`, { action, sha });
        }
      }
    }
  }
  return [...found.values()].sort((a, b) => (`${a.action}@${a.sha}` < `${b.action}@${b.sha}` ? -1 : 1));
}

/** Where the buildspec unpacks the asset; the runner reads STEPDEPLOY_RUNNER_ACTIONS_DIR. */
export const RUNNER_ACTIONS_DIR = '/tmp/stepdeploy-actions';

export function actionsAsset(scope: Construct, id: string, actions: readonly BundledAction[], cacheRoot = actionsCacheRoot()): Asset {
  return new Asset(scope, id, {
    path: join(codeRoot, 'lib', 'actions'),
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('stepdeploy-actions-are-bundled-locally'),
      outputType: BundlingOutput.NOT_ARCHIVED,
      local: {
        tryBundle(outputDir: string): boolean {
          for (const { action, sha } of actions) {
            const from = actionCacheDir(cacheRoot, action, sha);
            if (!existsSync(join(from, DIGEST_FILE))) throw new Error(`${action}@${sha} is not in the actions cache (${from}): run \`stepdeploy actions update\``);
            cpSync(from, actionCacheDir(outputDir, action, sha), { recursive: true });
          }
          return true;
        },
      },
    },
  });
}
