// How `jobs.<id>.uses` names a reusable workflow (GitHub's forms): one of the repository's, directly
// in .github/workflows, or one of another repository at a ref.

/** `./.github/workflows/x.yml`: group 1 is the path in the repository. */
export const localCallPattern = /^\.\/(\.github\/workflows\/[^/\\]+\.ya?ml)$/;

/** `owner/repo/.github/workflows/x.yml@ref`: groups owner, repo, path, ref. */
export const remoteCallPattern = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/(\.github\/workflows\/[^/\\@]+\.ya?ml)@([^\s@]+)$/;
