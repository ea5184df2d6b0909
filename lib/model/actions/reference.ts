// What a step's `uses:` names, as GitHub reads it: a folder of the repository (`./path`), a Docker
// image (`docker://image`), or an action of another repository (`owner/repo[/path]@ref`).

export type ActionReference =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'docker'; readonly image: string }
  | { readonly kind: 'remote'; readonly owner: string; readonly repo: string; readonly path: string; readonly ref: string };

const remotePattern = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)((?:\/[^@/]+)*)@(.+)$/;

/** The reference, or the rule the text breaks. */
export function parseActionReference(uses: string): ActionReference | { readonly problem: string } {
  if (uses.startsWith('docker://')) return { kind: 'docker', image: uses.slice('docker://'.length) };
  if (uses.startsWith('./')) {
    const parts = uses.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) return { problem: 'a local action is a folder under the repository root: no ..' };
    return { kind: 'local', path: parts.join('/') };
  }
  if (uses.startsWith('/') || uses.startsWith('../') || uses === '.') return { problem: "a local action starts with './' (a folder under the repository root)" };
  const match = remotePattern.exec(uses);
  if (!match) return { problem: "expected './path' (an action of this repository), 'owner/repo[/path]@ref' or 'docker://image'" };
  const [, owner, repo, path, ref] = match as unknown as [string, string, string, string, string];
  return { kind: 'remote', owner, repo, path: path.replace(/^\//, ''), ref };
}
