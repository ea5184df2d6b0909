import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noSettings, readRulesText, RULES_FILE } from '../../lib/model/environments';
import { loadWorkflowText } from '../../lib/model/load';
import { fileSystemWorkflows } from '../../lib/model/reusable/callees';

// One folder per rule: workflow.yml (and environments.yml when the rule is about it) and the exact
// problems it must produce (code, place, message; `file` names environments.yml for its own problems).
const root = join(import.meta.dirname, '../fixtures/workflows');
const cases = readdirSync(root).sort();

interface ExpectedProblem {
  readonly file?: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

describe('workflow problems (test/fixtures/workflows)', () => {
  it.each(cases)('%s', (name) => {
    const file = `test/fixtures/workflows/${name}/workflow.yml`;
    const text = readFileSync(join(root, name, 'workflow.yml'), 'utf8');
    const expected = JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as ExpectedProblem[];

    const rulesFile = `test/fixtures/workflows/${name}/${RULES_FILE}`;
    const rules = existsSync(join(root, name, RULES_FILE)) ? readRulesText(readFileSync(join(root, name, RULES_FILE), 'utf8'), rulesFile) : { problems: [] };
    // `uses: ./.github/workflows/x.yml` reads the case's own folder, as a repository of its own.
    const result = loadWorkflowText(text, file, { settings: rules.settings ?? noSettings, workflows: fileSystemWorkflows(join(root, name)) });

    const actual = [...rules.problems, ...result.problems].map((problem) => ({
      ...(problem.location.file === rulesFile && { file: RULES_FILE }),
      code: problem.code,
      line: problem.location.line,
      column: problem.location.column,
      path: problem.path,
      message: problem.message,
    }));
    expect(actual).toEqual(expected);
    expect(result.problems.every((problem) => problem.location.file === file)).toBe(true);
    expect(result.workflow === undefined || rules.problems.length > 0).toBe(true);
  });

  it('has a fixture for every problem code the loader can report', () => {
    const covered = new Set(
      cases.flatMap((name) =>
        (JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as ExpectedProblem[]).map((problem) => problem.code),
      ),
    );
    const codes = new Set<string>();
    for (const file of sourceFiles(join(import.meta.dirname, '../../lib'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:report\(|code: )'([a-z]+(?:-[a-z]+)*)'/g)) codes.add(match[1] as string);
    }
    codes.delete('file-unreadable'); // needs a missing file: covered in load.test.ts
    expect([...codes].filter((code) => !covered.has(code)).sort()).toEqual([]);
    expect(codes.size).toBeGreaterThan(30);
  });
});

function sourceFiles(directory: string): string[] {
  return ['model', 'source'].flatMap((part) =>
    readdirSync(join(directory, part), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(directory, part, name)),
  );
}
