import { describe, expect, it } from 'vitest';
import { matchesPatternList, matchesPush } from '../../lib/runtime/push-filter';

// GitHub Docs, "Workflow syntax for GitHub Actions" → "Filter pattern cheat sheet".
describe('branch and tag patterns (cheat sheet)', () => {
  it.each([
    ['feature/*', ['feature/my-branch', 'feature/your-branch'], ['feature/a/b', 'feature', 'main']],
    ['feature/**', ['feature/beta-a/my-branch', 'feature/your-branch', 'feature/mona/the/octocat'], ['feature', 'features/x']],
    ['main', ['main'], ['main2', 'xmain', 'releases/main']],
    ['releases/mona-the-octocat', ['releases/mona-the-octocat'], ['releases/mona']],
    ['*', ['main', 'releases'], ['all/the/branches', 'every/tag']],
    ['**', ['all/the/branches', 'every/tag', 'main'], []],
    ['*feature', ['mona-feature', 'feature', 'ver-10-feature'], ['feature-x', 'a/feature']],
    ['v2*', ['v2', 'v2.0', 'v2.9'], ['v1.0', 'v2/x']],
    ['v[12].[0-9]+.[0-9]+', ['v1.10.1', 'v2.0.0'], ['v3.0.0', 'v1..1', 'v1.a.1', 'v12.0.0']],
    ['[CB]at', ['Cat', 'Bat'], ['cat', 'Hat']],
    ['colou?r', ['color', 'colour'], ['colouur']],
    ['a+b', ['ab', 'aaab'], ['b']],
    ['release.v1', ['release.v1'], ['releaseXv1']],
    ['\\*special', ['*special'], ['xspecial']],
  ])('%s', (pattern, matching, notMatching) => {
    for (const name of matching) expect(matchesPatternList([pattern], name), `${pattern} should match ${name}`).toBe(true);
    for (const name of notMatching) expect(matchesPatternList([pattern], name), `${pattern} should not match ${name}`).toBe(false);
  });
});

describe('path patterns (cheat sheet)', () => {
  it.each([
    ['*', ['README.md', 'server.rb'], ['docs/README.md']],
    ['*.jsx?', ['page.js', 'page.jsx'], ['page.jsxx', 'src/page.js']],
    ['**', ['all/the/files.md'], []],
    ['*.js', ['app.js', 'index.js'], ['js/index.js']],
    ['**.js', ['index.js', 'js/index.js', 'src/js/app.js'], ['index.jsx']],
    ['docs/*', ['docs/README.md', 'docs/file.txt'], ['docs/mona/octocat.txt']],
    ['docs/**', ['docs/README.md', 'docs/mona/octocat.txt'], ['README.md', 'mydocs/a.md']],
    ['docs/**/*.md', ['docs/README.md', 'docs/mona/hello-world.md', 'docs/a/markdown/file.md'], ['docs/a.txt']],
    ['**/docs/**', ['docs/hello.md', 'dir/docs/my-file.txt', 'space/docs/plan/space.doc'], ['mydocs/a.md']],
    ['**/README.md', ['README.md', 'js/README.md'], ['README.mdx']],
    ['**/*src/**', ['a/src/app.js', 'my-src/code/js/app.js'], ['src.js']],
    ['**/*-post.md', ['my-post.md', 'path/their-post.md'], ['post.md']],
    ['**/migrate-*.sql', ['migrate-10909.sql', 'db/migrate-v1.0.sql', 'db/sept/migrate-v1.sql'], ['db/migrate.sql']],
  ])('%s', (pattern, matching, notMatching) => {
    for (const file of matching) expect(matchesPatternList([pattern], file), `${pattern} should match ${file}`).toBe(true);
    for (const file of notMatching) expect(matchesPatternList([pattern], file), `${pattern} should not match ${file}`).toBe(false);
  });
});

describe('negation is applied in order', () => {
  it.each([
    [['*.md', '!README.md'], ['hello.md'], ['README.md', 'docs/hello.md']],
    [['*.md', '!README.md', 'README*'], ['hello.md', 'README.md', 'README.doc'], ['docs/hello.md']],
    [['releases/**', '!releases/**-alpha'], ['releases/10'], ['releases/10-alpha']],
    [['!main'], [], ['main', 'dev']],
    [['feature/**', '!feature/wip/**', 'feature/wip/keep'], ['feature/a', 'feature/wip/keep'], ['feature/wip/x']],
  ])('%j', (patterns, matching, notMatching) => {
    for (const value of matching) expect(matchesPatternList(patterns, value), value).toBe(true);
    for (const value of notMatching) expect(matchesPatternList(patterns, value), value).toBe(false);
  });

  it("treats '!' as literal anywhere but the start", () => {
    expect(matchesPatternList(['a!b'], 'a!b')).toBe(true);
  });
});

describe('matchesPush', () => {
  const branch = (name: string, changedFiles?: string[]) => ({ ref: `refs/heads/${name}`, changedFiles });
  const tag = (name: string) => ({ ref: `refs/tags/${name}`, changedFiles: ['src/app.ts'] });

  it('runs for every branch and tag push when nothing is filtered', () => {
    expect(matchesPush({}, branch('any'))).toBe(true);
    expect(matchesPush({}, tag('v1'))).toBe(true);
  });

  it('never runs for refs that are neither branches nor tags', () => {
    expect(matchesPush({}, { ref: 'refs/pull/1/merge' })).toBe(false);
  });

  it('with only branch filters, tag pushes do not run', () => {
    expect(matchesPush({ branches: ['main'] }, branch('main'))).toBe(true);
    expect(matchesPush({ branches: ['main'] }, branch('dev'))).toBe(false);
    expect(matchesPush({ branches: ['**'] }, tag('main'))).toBe(false);
    expect(matchesPush({ branchesIgnore: ['dev'] }, tag('v1'))).toBe(false);
  });

  it('with only tag filters, branch pushes do not run', () => {
    expect(matchesPush({ tags: ['v*'] }, tag('v1.2'))).toBe(true);
    expect(matchesPush({ tags: ['v*'] }, tag('release'))).toBe(false);
    expect(matchesPush({ tags: ['v*'] }, branch('v1'))).toBe(false);
    expect(matchesPush({ tagsIgnore: ['*-rc'] }, branch('main'))).toBe(false);
  });

  it('with both kinds, each applies to its own refs', () => {
    const filter = { branches: ['main'], tags: ['v*'] };
    expect(matchesPush(filter, branch('main'))).toBe(true);
    expect(matchesPush(filter, tag('v2'))).toBe(true);
    expect(matchesPush(filter, branch('v2'))).toBe(false);
  });

  it('branches-ignore and tags-ignore run for everything they do not match', () => {
    expect(matchesPush({ branchesIgnore: ['dependabot/**'] }, branch('main'))).toBe(true);
    expect(matchesPush({ branchesIgnore: ['dependabot/**'] }, branch('dependabot/npm/yaml'))).toBe(false);
    expect(matchesPush({ tagsIgnore: ['*-rc*'] }, tag('v1-rc1'))).toBe(false);
    expect(matchesPush({ tagsIgnore: ['*-rc*'] }, tag('v1'))).toBe(true);
  });

  it('paths: runs when at least one changed file matches', () => {
    const filter = { paths: ['src/**', '!src/**/*.md'] };
    expect(matchesPush(filter, branch('main', ['README.md', 'src/app.ts']))).toBe(true);
    expect(matchesPush(filter, branch('main', ['README.md', 'src/docs/a.md']))).toBe(false);
    expect(matchesPush(filter, branch('main', []))).toBe(false);
  });

  it('paths-ignore: runs unless every changed file is ignored', () => {
    const filter = { pathsIgnore: ['docs/**'] };
    expect(matchesPush(filter, branch('main', ['docs/a.md', 'src/app.ts']))).toBe(true);
    expect(matchesPush(filter, branch('main', ['docs/a.md', 'docs/b/c.md']))).toBe(false);
  });

  it('runs when branches and paths are both satisfied, and only then', () => {
    const filter = { branches: ['main'], paths: ['src/**'] };
    expect(matchesPush(filter, branch('main', ['src/a.ts']))).toBe(true);
    expect(matchesPush(filter, branch('main', ['docs/a.md']))).toBe(false);
    expect(matchesPush(filter, branch('dev', ['src/a.ts']))).toBe(false);
  });

  it('path filters are not evaluated for tag pushes', () => {
    expect(matchesPush({ tags: ['v*'], paths: ['docs/**'] }, tag('v1'))).toBe(true);
  });

  it('looks at the first 300 changed files only, as GitHub does ("Diffs are limited to 300 files")', () => {
    const files = [...Array.from({ length: 300 }, (_, n) => `a/${String(n).padStart(3, '0')}.txt`), 'src/app.ts'];
    expect(matchesPush({ paths: ['src/**'] }, { ref: 'refs/heads/main', changedFiles: files })).toBe(false);
    expect(matchesPush({ paths: ['src/**'] }, { ref: 'refs/heads/main', changedFiles: files.slice(1) })).toBe(true);
    expect(matchesPush({ pathsIgnore: ['a/**'] }, { ref: 'refs/heads/main', changedFiles: files })).toBe(false);
  });

  it('does not run for a push that changes no file when paths are filtered', () => {
    expect(matchesPush({ paths: ['**'] }, { ref: 'refs/heads/main', changedFiles: [] })).toBe(false);
    expect(matchesPush({ pathsIgnore: ['docs/**'] }, { ref: 'refs/heads/main', changedFiles: [] })).toBe(false);
  });

  it('runs when the changed files are unknown, as GitHub does without a diff', () => {
    expect(matchesPush({ paths: ['docs/**'] }, branch('main'))).toBe(true);
    expect(matchesPush({ pathsIgnore: ['**'] }, branch('main'))).toBe(true);
  });
});
