/**
 * How deeply intrinsic function calls nest in one field value (`States.Format(States.Array(…))` is
 * 2). String literals are skipped, so a ')' inside '…' does not count.
 */
export function intrinsicDepth(value: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  const opens: boolean[] = [];
  for (let at = 0; at < value.length; at++) {
    const char = value[at]!;
    if (inString) {
      if (char === '\\') at++;
      else if (char === "'") inString = false;
      continue;
    }
    if (char === "'") inString = true;
    else if (char === '(') {
      const call = /States\.[A-Za-z0-9]+$/.test(value.slice(Math.max(0, at - 40), at));
      opens.push(call);
      if (call) deepest = Math.max(deepest, ++depth);
    } else if (char === ')' && opens.pop()) depth--;
  }
  return deepest;
}
