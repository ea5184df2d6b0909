// What `stepdeploy start` tells a run about its source (the execution input's `source`,
// lib/runtime/run-source.ts):
//   --ref REF             a commit of the connected repository: a SHA, a full ref, or a branch name;
//   from a git working copy, on AWS: a snapshot of the working tree (tracked files and untracked ones
//                         that are not ignored), zipped and uploaded to the runtime's bucket, the way
//                         `cdk deploy` uploads assets; github.sha/ref are HEAD and the branch;
//   from a git working copy, on a local engine (--endpoint): the engine copies its own working tree;
//   outside a git working copy: nothing (the connected repository's default branch).

import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ListTagsForResourceCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { SNAPSHOT_BUCKET_TAG, SNAPSHOT_PREFIX } from '../constructs/runner-source';
import { localGitInfo, workingTreeFiles } from '../local/workspace-source';
import type { RunSource } from '../runtime/run-source';
import { zipWorkingTree } from './snapshot-zip';


export interface StartSourceRequest {
  readonly ref?: string;
  readonly cwd: string;
  readonly local: boolean;
  readonly stateMachineArn: string;
  readonly sfn: SFNClient;
  readonly s3: () => S3Client;
  /** Progress lines (`uploaded snapshot …`). */
  readonly say: (line: string) => void;
}

export class StartSourceError extends Error {}

/** The `source` of the execution input, or undefined when there is nothing to say. */
export async function startSource(request: StartSourceRequest): Promise<RunSource | undefined> {
  const git = await localGitInfo(request.cwd);
  const about = { ...(git.repository !== undefined && { repository: git.repository }), actor: git.actor };
  if (request.ref !== undefined) return { ...about, ...refSource(request.ref) };
  if (git.sha === undefined) return undefined;
  const head = { ...about, sha: git.sha, ...(git.ref !== undefined && { ref: git.ref }) };
  if (request.local) return { ...head, snapshot: 'working-tree' };
  const bucket = await snapshotBucket(request.sfn, request.stateMachineArn);
  const names = await workingTreeFiles(request.cwd);
  const zip = await zipWorkingTree(request.cwd, names);
  const key = `${SNAPSHOT_PREFIX}${createHash('sha256').update(zip).digest('hex')}.zip`;
  const put = await request.s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip, ContentType: 'application/zip' }));
  if (put.VersionId === undefined) throw new StartSourceError(`the snapshot bucket ${bucket} is not versioned: deploy this version of stepdeploy (cdk deploy)`);
  request.say(`uploaded a snapshot of ${names.length} files (${zip.length} bytes) to s3://${bucket}/${key}`);
  return { ...head, snapshot: `s3://${bucket}/${key}#${put.VersionId}` };
}

/** `--ref`: a SHA as it is, `refs/…` as it is, anything else a branch name. */
export function refSource(ref: string): { sha: string } | { ref: string } {
  if (/^[0-9a-f]{7,64}$/i.test(ref)) return { sha: ref };
  if (ref.startsWith('refs/')) return { ref };
  if (ref === '' || /[\s~^:?*[\\]|\.\.|^-/.test(ref)) throw new StartSourceError(`--ref '${ref}' is not a commit SHA, a ref (refs/heads/…, refs/tags/…) or a branch name`);
  return { ref: `refs/heads/${ref}` };
}

async function snapshotBucket(sfn: SFNClient, stateMachineArn: string): Promise<string> {
  const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
  const bucket = tags?.find((tag) => tag.key === SNAPSHOT_BUCKET_TAG)?.value;
  if (bucket === undefined) {
    throw new StartSourceError(`the state machine has no ${SNAPSHOT_BUCKET_TAG} tag, so the working tree cannot be uploaded: deploy this version of stepdeploy (cdk deploy), or give --ref REF to run a commit of the connected repository`);
  }
  return bucket;
}
