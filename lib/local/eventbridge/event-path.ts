// The JSONPath subset EventBridge evaluates in a target's InputPath and InputPathsMap: `$`, dot
// notation and array indices (`$.detail.commits[0].id`). Wildcards select several values, which a
// placeholder cannot hold sensibly; they are refused rather than guessed at.

export type EventPath = readonly (string | number)[];

const segmentPattern = /^(?:\.([A-Za-z0-9_\-/]+)|\[(\d+)\])/;

/** The path's steps, or an error message naming what is not supported. */
export function parseEventPath(path: string): { readonly path: EventPath } | { readonly error: string } {
  if (!path.startsWith('$')) return { error: `'${path}' is not a JSON path (it must start with '$')` };
  if (path.includes('*')) return { error: `'${path}': wildcards are not supported locally` };
  const steps: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const match = segmentPattern.exec(rest);
    if (!match) return { error: `'${path}': only dot notation and array indices are supported (at '${rest}')` };
    steps.push(match[1] ?? Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  return { path: steps };
}

/** The value at the path, or undefined when the event has nothing there. */
export function valueAt(event: unknown, path: EventPath): unknown {
  let node = event;
  for (const step of path) {
    if (typeof step === 'number') node = Array.isArray(node) ? node[step] : undefined;
    else node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[step] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}
