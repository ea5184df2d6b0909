// `paths` / `paths-ignore` on pull_request(_target): GitHub matches them against the pull request's
// changed files, which its webhook does not carry, so the router asks GitHub's REST API
// (`GET /repos/{owner}/{repo}/pulls/{number}/files`, 100 per page). As on GitHub, only the first 300
// files count ("Diffs are limited to 300 files"), and a pull request whose files cannot be had (an
// API error, no access) runs the workflow, as GitHub runs it when it has no diff.

import { MAX_FILTERED_FILES } from '../push-filter';

const PER_PAGE = 100;

export interface PullRequestFilesOptions {
  /** GitHub's API root (https://api.github.com, or GitHub Enterprise's `https://<host>/api/v3`). */
  readonly apiUrl: string;
  /** A token that may read the repository's pull requests; a public repository needs none. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/** `owner/name` as GitHub spells repositories: nothing that could change the request's path. */
const repositoryPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * The pull request's changed files (a renamed file under both names), at most the first 300, or why
 * they are unknown.
 */
export async function pullRequestFiles(
  repository: string,
  number: number,
  options: PullRequestFilesOptions,
): Promise<{ readonly files: readonly string[] } | { readonly unknown: string }> {
  if (!repositoryPattern.test(repository) || /(^|\/)\.+(\/|$)/.test(repository) || !Number.isSafeInteger(number) || number < 1) return { unknown: `not a pull request: ${repository}#${number}` };
  const get = options.fetch ?? fetch;
  const files: string[] = [];
  for (let page = 1; page <= MAX_FILTERED_FILES / PER_PAGE; page++) {
    let items: unknown;
    try {
      const response = await get(`${options.apiUrl.replace(/\/+$/, '')}/repos/${repository}/pulls/${number}/files?per_page=${PER_PAGE}&page=${page}`, {
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'stepdeploy',
          ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
        },
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) return { unknown: `GitHub answered ${response.status} for the files of ${repository}#${number}` };
      items = await response.json();
    } catch (error) {
      return { unknown: `the files of ${repository}#${number} could not be read: ${(error as Error).message}` };
    }
    if (!Array.isArray(items)) return { unknown: `GitHub's answer for the files of ${repository}#${number} is not a list` };
    for (const item of items as { filename?: unknown; previous_filename?: unknown }[]) {
      if (typeof item?.filename === 'string') files.push(item.filename);
      if (typeof item?.previous_filename === 'string') files.push(item.previous_filename);
    }
    if (items.length < PER_PAGE) break;
  }
  return { files: files.slice(0, MAX_FILTERED_FILES) };
}
