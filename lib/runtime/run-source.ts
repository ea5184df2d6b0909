// The execution input's `source`: which commit a run is about, and where its runners' workspaces
// come from (`run.checkout`, computed at run start, read by the runner's start):
//   commit     — a webhook event (the pushed SHA, a pull request's head, …), or a start naming `sha` / `ref`: CodeBuild's source from the
//                connected repository at that version; locally `git archive` of the local repository;
//   snapshot   — `stepdeploy start` from a working copy: the zip it uploaded to the runtime's bucket
//                (`s3://bucket/key` and the object's version id);
//   working-tree — `stepdeploy run`: the local engine copies the working tree (local only);
//   default    — nothing named (console, schedule): the connected repository's default branch.

/** The execution input's `source`: which commit the run is about (all optional). */
export interface RunSource {
  readonly sha?: string;
  readonly ref?: string;
  readonly repository?: string;
  readonly actor?: string;
  /** `working-tree` (stepdeploy run), or `s3://<bucket>/<key>#<version id>` (stepdeploy start's upload). */
  readonly snapshot?: string;
}

export type RunCheckout =
  | { readonly kind: 'commit'; readonly version: string }
  | { readonly kind: 'snapshot'; readonly bucket: string; readonly key: string; readonly versionId: string }
  | { readonly kind: 'working-tree' }
  | { readonly kind: 'default' };

const SNAPSHOT = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/([^#]+)#(.+)$/;

/** Where the workspaces of a run come from: the local working tree, else the webhook event's SHA, else a snapshot, else sha / ref. */
export function runCheckout(pushedSha: string | undefined, source: RunSource): RunCheckout {
  // `stepdeploy run` copies the working tree even when it plays an event (--event), as act does.
  if (source.snapshot === 'working-tree') return { kind: 'working-tree' };
  if (pushedSha !== undefined && pushedSha !== '') return { kind: 'commit', version: pushedSha };
  const snapshot = source.snapshot === undefined ? null : SNAPSHOT.exec(source.snapshot);
  if (snapshot) return { kind: 'snapshot', bucket: snapshot[1]!, key: snapshot[2]!, versionId: snapshot[3]! };
  const version = source.sha || source.ref;
  return version ? { kind: 'commit', version } : { kind: 'default' };
}


/** Without `event`: the run's data holds the trigger payload once (`run.event`), the contexts add it as github.event. */
/** Reads the execution input's `source`, or says what is wrong with it. */
export function parseRunSource(value: unknown): RunSource | string {
  if (value === undefined) return {};
  if (!isRecord(value)) return `'source' must be an object { sha?, ref?, repository?, actor?, snapshot? }, got ${JSON.stringify(value)}`;
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!['sha', 'ref', 'repository', 'actor', 'snapshot'].includes(key)) return `source: unknown key '${key}' (expected sha, ref, repository, actor, snapshot)`;
    if (typeof field !== 'string') return `source.${key}: expected a string, got ${JSON.stringify(field)}`;
    out[key] = field;
  }
  if (out.sha !== undefined && out.sha !== '' && !/^[0-9a-f]{7,64}$/i.test(out.sha)) return `source.sha: '${out.sha}' is not a commit SHA`;
  if (out.ref !== undefined && out.ref !== '' && !out.ref.startsWith('refs/')) return `source.ref: '${out.ref}' is not a full ref (refs/heads/<branch>, refs/tags/<tag>)`;
  if (out.snapshot !== undefined && out.snapshot !== 'working-tree' && !SNAPSHOT.test(out.snapshot)) {
    return `source.snapshot: '${out.snapshot}' is neither working-tree nor s3://<bucket>/<key>#<version id>`;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

