// GitHub's `on.push` filters (branches, tags, paths and their -ignore forms) with the semantics of
// GitHub's "Filter pattern cheat sheet". EventBridge patterns cannot express these globs, so the
// router Lambda applies them after the rule has matched coarsely.

import type { PushTrigger } from '../model/workflow';

export interface PushFacts {
  /** The full ref pushed: `refs/heads/<branch>` or `refs/tags/<tag>`. */
  readonly ref: string;
  /** Files added, modified or removed by the push; absent when the diff is unknown (too large). */
  readonly changedFiles?: readonly string[];
}

/** True when a push with these facts starts the workflow, as GitHub decides for `on.push`. */
export function matchesPush(filter: PushTrigger, push: PushFacts): boolean {
  const branch = stripPrefix(push.ref, 'refs/heads/');
  const tag = stripPrefix(push.ref, 'refs/tags/');
  if (branch === undefined && tag === undefined) return false;

  const filtersBranches = filter.branches !== undefined || filter.branchesIgnore !== undefined;
  const filtersTags = filter.tags !== undefined || filter.tagsIgnore !== undefined;
  // Filtering only one kind of ref means pushes of the other kind never run the workflow.
  if (branch !== undefined) {
    if (!filtersBranches && filtersTags) return false;
    if (!refAllowed(branch, filter.branches, filter.branchesIgnore)) return false;
  } else {
    if (!filtersTags && filtersBranches) return false;
    if (!refAllowed(tag!, filter.tags, filter.tagsIgnore)) return false;
    // GitHub does not evaluate path filters for tag pushes.
    return true;
  }
  return pathsAllowed(push.changedFiles, filter.paths, filter.pathsIgnore);
}

function refAllowed(name: string, include?: readonly string[], ignore?: readonly string[]): boolean {
  if (include !== undefined && !matchesPatternList(include, name)) return false;
  if (ignore !== undefined && matchesPatternList(ignore, name)) return false;
  return true;
}

/** GitHub: "Diffs are limited to 300 files": files past the first 300 (in path order) are not looked at. */
export const MAX_FILTERED_FILES = 300;

/**
 * `paths` / `paths-ignore` against the changed files: some file matches `paths`; not every file
 * matches `paths-ignore` (so no changed file at all runs neither). Only the first 300 count, as on
 * GitHub; without a diff (`files` undefined) GitHub runs the workflow rather than miss a change.
 */
export function pathsAllowed(files: readonly string[] | undefined, include?: readonly string[], ignore?: readonly string[]): boolean {
  if (files === undefined) return true;
  const first = files.slice(0, MAX_FILTERED_FILES);
  if (include !== undefined && !first.some((file) => matchesPatternList(include, file))) return false;
  if (ignore !== undefined && first.every((file) => matchesPatternList(ignore, file))) return false;
  return true;
}

/**
 * Patterns apply in order: a `!pattern` after a match excludes the value again, a later positive
 * pattern includes it again. A list of only negations matches nothing.
 */
export function matchesPatternList(patterns: readonly string[], value: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (negated === matched && compileFilterPattern(negated ? pattern.slice(1) : pattern).test(value)) {
      matched = !negated;
    }
  }
  return matched;
}

const cache = new Map<string, RegExp>();

/**
 * One filter pattern as a regular expression over the whole value:
 * `*` any run of characters except '/', `**` any run of characters ('**\/' also matches no
 * directory at all), `?` zero or one and `+` one or more of the preceding character, `[a-z0-9]`
 * one character from the set, `\` escapes the next character.
 */
export function compileFilterPattern(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = '';
  // Whether the last atom is a single character or class, which `?` and `+` may repeat.
  let repeatable = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const slashFollows = pattern[i + 2] === '/';
        source += slashFollows ? '(?:.*/)?' : '.*';
        i += slashFollows ? 2 : 1;
      } else {
        source += '[^/]*';
      }
      repeatable = false;
    } else if ((char === '?' || char === '+') && repeatable) {
      source += char;
      repeatable = false;
    } else if (char === '[') {
      const end = pattern.indexOf(']', i + 1);
      const set = end > i + 1 ? pattern.slice(i + 1, end) : '';
      if (isCharacterSet(set)) {
        source += `[${set}]`;
        i = end;
      } else {
        source += '\\[';
      }
      repeatable = true;
    } else if (char === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[i + 1]!);
      i += 1;
      repeatable = true;
    } else {
      source += escapeRegExp(char);
      repeatable = true;
    }
  }
  const compiled = new RegExp(`^${source}$`);
  cache.set(pattern, compiled);
  return compiled;
}

// GitHub allows only letters and digits in brackets, and ranges within a-z, A-Z or 0-9.
function isCharacterSet(set: string): boolean {
  const parts = set.match(/[A-Za-z0-9](?:-[A-Za-z0-9])?/g);
  if (!parts || parts.join('') !== set) return false;
  return parts.every((part) => {
    if (part.length === 1) return true;
    const [from, to] = [part[0]!, part[2]!];
    const sameClass = [/[a-z]/, /[A-Z]/, /[0-9]/].some((kind) => kind.test(from) && kind.test(to));
    return sameClass && from <= to;
  });
}

function escapeRegExp(char: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

function stripPrefix(value: string, prefix: string): string | undefined {
  return value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}
