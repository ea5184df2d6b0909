// `jobs.<id>.uses`: a job that calls a reusable workflow, of the repository (`./.github/workflows/x.yml`)
// or of another one (`owner/repo/.github/workflows/x.yml@ref`, locked like an action). Only GitHub's keys of a
// calling job are allowed next to it; the called file is read and checked by lib/model/reusable/.

import type { SpecEntry } from '../../source/tree';
import { callJobKeys } from '../keys';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { ReusableCall } from '../workflow';
import { localCallPattern, remoteCallPattern } from '../reusable/call-reference';
import { invalidType, readOpenMap, readString } from './read';

const secretPattern = /^\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** `entries` are the job's keys; `path` is `jobs.<id>`. Returns undefined when `uses` cannot be read. */
export function normalizeReusableCall(entries: Map<string, SpecEntry>, path: string, sink: ProblemSink): ReusableCall | undefined {
  for (const [key, entry] of entries) {
    if ((callJobKeys as readonly string[]).includes(key)) continue;
    const at = keyPath(path, key);
    sink.report('call-job-key', entry.keyPos, at, `${at}: a job that calls a reusable workflow (uses:) takes only ${callJobKeys.join(', ')}, as on GitHub; put ${key} on the called workflow's jobs`);
  }
  const concurrency = entries.get('concurrency');
  if (concurrency) {
    const at = keyPath(path, 'concurrency');
    const message = `${at}: concurrency on a job that calls a reusable workflow is not available yet; put the concurrency group on the called workflow's jobs`;
    sink.report('unsupported-key', concurrency.keyPos, at, message);
  }
  const usesEntry = entries.get('uses')!;
  const usesPath = keyPath(path, 'uses');
  const uses = readString(usesEntry.value, usesPath, sink);
  if (uses === undefined) return undefined;
  const passed = { with: readWith(entries.get('with'), keyPath(path, 'with'), sink), secrets: readSecrets(entries.get('secrets'), keyPath(path, 'secrets'), sink) };
  const remote = remoteCallPattern.exec(uses);
  if (remote) {
    const [, owner, repo, file, ref] = remote as unknown as [string, string, string, string, string];
    return { uses, path: file, remote: { repository: `${owner}/${repo}`, ref }, ...passed };
  }
  const local = localCallPattern.exec(uses);
  if (!local) {
    const message = `${usesPath}: '${uses}' is not a reusable workflow: call one as ./.github/workflows/<file>.yml (a file directly in this repository's .github/workflows, as on GitHub) or owner/repo/.github/workflows/<file>.yml@ref`;
    sink.report('invalid-call', usesEntry.value.pos, usesPath, message);
    return undefined;
  }
  return { uses, path: local[1]!, ...passed };
}

function readWith(entry: SpecEntry | undefined, path: string, sink: ProblemSink): Record<string, string | number | boolean> {
  const inputs: Record<string, string | number | boolean> = {};
  for (const input of (entry && readOpenMap(entry.value, path, sink)) ?? []) {
    const value = input.value;
    if (value.kind !== 'scalar' || value.value === null) invalidType(sink, value, keyPath(path, input.key), 'a string, number or boolean (an input of the called workflow)');
    else inputs[input.key] = value.value as string | number | boolean;
  }
  return inputs;
}

function readSecrets(entry: SpecEntry | undefined, path: string, sink: ProblemSink): ReusableCall['secrets'] {
  if (entry === undefined) return {};
  const node = entry.value;
  if (node.kind === 'scalar' && node.value === 'inherit') return 'inherit';
  if (node.kind === 'scalar') {
    invalidType(sink, node, path, "inherit or a mapping of secret id → '${{ secrets.NAME }}'");
    return {};
  }
  const secrets: Record<string, string> = {};
  for (const secret of readOpenMap(node, path, sink, "inherit or a mapping of secret id → '${{ secrets.NAME }}'") ?? []) {
    const at = keyPath(path, secret.key);
    const text = secret.value.kind === 'scalar' && typeof secret.value.value === 'string' ? secret.value.value : undefined;
    if (text === undefined || !secretPattern.test(text.trim())) {
      sink.report('invalid-call-secret', secret.value.pos, at, `${at}: a secret passed to a reusable workflow is written '\${{ secrets.NAME }}' (one of this workflow's secrets)`);
    } else secrets[secret.key] = text.trim();
  }
  return secrets;
}
