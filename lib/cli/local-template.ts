// The template `stepdeploy run` executes, kept between runs. Synthesis needs aws-cdk-lib, whose import
// and synth take ~0.7 s of a one-step run's ~1.3 s, yet the template is a pure function of the loaded
// workflows (the model holds what environments.yml and cdk.json said), the synthesis context, the
// CDK_* environment and this package's code. Those are the cache key: the workflows and context as
// JSON, and the code by the path, size and modification time of every file under lib/ and lambdas/
// plus the versions of aws-cdk-lib and constructs, so an edit in a checkout synthesizes again.
// A template is stored only after a synthesis that succeeded; a cache that cannot be written costs
// only the synthesis next time.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { loadWorkflows } from '../constructs/load-workflows';
import { addFileStamp } from '../local/file-fingerprint';
import { defaultCacheDir } from '../local/validation-cache';
import type { Problem } from '../model/problem';
import type { Workflow } from '../model/workflow';
import { codeRoot, packageRoot } from '../package-layout';

const require = createRequire(import.meta.url);

/** The fingerprint of this package's code and the CDK it synthesizes with (computed once per process). */
let codeFingerprint: string | undefined;

function fingerprintCode(): string {
  const hash = createHash('sha256');
  for (const folder of ['lib', 'lambdas']) {
    const root = join(codeRoot, folder);
    const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    const names = files.map((entry) => relative(root, join(entry.parentPath, entry.name))).sort();
    for (const name of names) addFileStamp(hash, `${folder}/${name}`, join(root, name));
  }
  for (const manifest of [join(packageRoot, 'package.json'), require.resolve('aws-cdk-lib/package.json'), require.resolve('constructs/package.json')]) {
    hash.update(readFileSync(manifest));
  }
  return hash.digest('hex');
}

/** The key of a template: everything its synthesis reads. */
export function templateKey(workflows: readonly Workflow[], context: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): string {
  codeFingerprint ??= fingerprintCode();
  const cdkEnv = Object.entries(env)
    .filter(([name]) => name.startsWith('CDK_'))
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(codeFingerprint).update('\0').update(JSON.stringify({ workflows, context, cdkEnv })).digest('hex');
}

/** A week: templates of workflows nobody ran since go. */
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/** The local template of these workflow files, from the cache when nothing it depends on changed. */
export async function localTemplate(
  files: readonly string[],
  transform: (workflow: Workflow) => Workflow,
  options: { readonly context?: Readonly<Record<string, unknown>>; readonly cacheDir?: string; readonly env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<{ template?: Record<string, unknown>; problems: readonly Problem[]; cached?: boolean }> {
  const { workflows: loaded, problems } = await loadWorkflows(files);
  if (problems.length > 0) return { problems };
  const workflows = loaded.map(transform);
  const context = options.context ?? {};
  const folder = join(options.cacheDir ?? defaultCacheDir(), 'local-template');
  const file = join(folder, `${templateKey(workflows, context, options.env ?? process.env)}.json`);
  try {
    return { template: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, problems: [], cached: true };
  } catch {
    // Not cached (or unreadable): synthesize.
  }
  const { synthesizeLocalWorkflows } = await import('../constructs/local-synth');
  const template = synthesizeLocalWorkflows(workflows, context);
  store(folder, file, template);
  return { template, problems: [], cached: false };
}

function store(folder: string, file: string, template: Record<string, unknown>): void {
  try {
    mkdirSync(folder, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(template));
    renameSync(temporary, file);
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (path !== file && Date.now() - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
    }
  } catch {
    // Best effort, as above.
  }
}
