// The direct reader of common YAML (lib/source/common-yaml.ts) against the `yaml` package, the
// reference: on every text the reader accepts, the spec tree (values, styles, sources, positions)
// and the duplicate and reserved key problems must be the same; anything it is unsure of it refuses.
import { deepStrictEqual } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCommonYaml } from '../../lib/source/common-yaml';
import { parseSpec, parseSpecWithYamlPackage } from '../../lib/source/parse';
import { prng } from '../fixtures/prng';

/** Whether the reader accepted `text`; when it did, its tree equals the yaml package's (SameValue: NaN, -0). */
function agreesWithYamlPackage(text: string): boolean {
  const direct = readCommonYaml(text);
  if (direct === undefined) return false;
  try {
    deepStrictEqual(direct, parseSpecWithYamlPackage(text));
  } catch (error) {
    throw new Error(`the direct reader and the yaml package differ on ${JSON.stringify(text)}:\n${String(error).slice(0, 3000)}`);
  }
  return true;
}

const PLAIN = [
  'a', 'echo hi', 'on', 'yes', 'null', 'Null', 'NULL', '~', 'true', 'False', 'TRUE', 'tRue', '1', '-1', '+1', '007', '0o17', '0o8', '0x1F', '0xg',
  '1.5', '1.', '.5', '1e3', '1E-2', '+.5e+2', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '-.nan', '12345678901234567890', '-0', '0.0', 'a b',
  'a:b', 'a: b', 'a #b', 'a#b', 'x:', '-x', '- x', '-', '--', '---', '...', '[a]', '{a}', 'a, b', 'a,b', '${{ env.A }}', "it's", 'say "hi"',
  '@x', '%x', '&a x', '*a', '!t x', '|', '>', '?x', '? x', ':x', ',x', 'a]', 'a}', 'a[0]', 'é', 'x\ty', ' lead', 'trail  ', 'arn:aws:iam::1:role/x',
  'https://example.com/a?b=c#d', 'a  b', 'C:\\dir', '`cmd`',
];
const KEYS = [
  'on', 'jobs', 'a', 'b', 'name', 'run', 'steps', '1', '01', 'true', 'null', '~', '0x10', '1.0', '.inf', '__proto__', 'constructor', 'a b', 'a:b',
  '-k', '"q"', "'s'", "'it''s'", '"a\\tb"', '"on"', 'k#x', 'k #x', '[k]', '{k}', '?k', 'k ', 'x'.repeat(1100), '"unclosed', 'é', '&k k', '!!str k',
];
/** What most files hold: valid, and still with the forms that differ (numbers, nulls, quotes, comments, colons). */
const TAME_PLAIN = ['a', 'echo hi', 'on', 'yes', 'null', '~', 'true', 'False', '1', '-1', '007', '0x1F', '1.5', '1e3', '.inf', 'a b', 'a:b', 'a#b', '-x', '${{ env.A }}', "it's", 'say "hi"', 'arn:aws:iam::1:role/x', 'é', 'trail  '];
const TAME_KEYS = ['on', 'jobs', 'a', 'b', 'name', 'run', 'steps', '1', 'true', 'null', 'a b', 'a:b', '"q"', "'s'", '"on"', 'é', 'runs-on', 'timeout-minutes'];
const LINES = ['echo one', '  indented', '# not a comment', '', 'x: y', '- item', '"quoted"', "it's", 'tab\there', '\ttab first', '   ', 'end \\'];
const DOUBLE_ESCAPES = ['\\t', '\\n', '\\"', '\\\\', '\\/', '\\x41', '\\u00e9', '\\U0001F600', '\\ud83d', '\\q', '\\0', '\\e', '\\ ', '\\N', '\\_', '\\u12'];

/** Random workflow-shaped YAML: nested mappings and sequences in every block and flow form, comments, blank lines, odd scalars. */
function randomYaml(random: () => number, tame: boolean): string {
  const PLAIN_VALUES = tame ? TAME_PLAIN : PLAIN;
  const KEY_NAMES = tame ? TAME_KEYS : KEYS;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number): boolean => random() < p;
  const lines: string[] = [];
  const pad = (count: number): string => ' '.repeat(count);
  const comment = (): string => (chance(0.2) ? pick([' # note', '  #x', ' #', '#glued']) : chance(0.05) ? pick(['  ', ' ']) : '');
  const filler = (indent: number): void => {
    if (chance(0.08)) lines.push(`${pad(Math.floor(random() * (indent + 3)))}# comment`);
    if (chance(0.06)) lines.push(pad(Math.floor(random() * (indent + 3))));
  };
  const scalar = (): string => {
    const text = pick(PLAIN_VALUES);
    const style = random();
    if (style < 0.6) return text;
    if (style < 0.8) return `'${chance(0.9) ? text.replace(/'/g, "''") : text}'`;
    const escaped = chance(0.9) ? text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : text;
    return `"${escaped}${chance(0.4) ? pick(tame ? DOUBLE_ESCAPES.slice(0, 8) : DOUBLE_ESCAPES) : ''}"`;
  };
  const flow = (depth: number): string => {
    const count = Math.floor(random() * 4);
    if (depth < 2 && chance(0.5)) {
      const entries = Array.from({ length: count }, () => `${pick(KEY_NAMES.slice(0, 12))}: ${chance(0.2) ? flow(depth + 1) : scalar()}`);
      return `{${chance(0.7) ? ' ' : ''}${entries.join(pick([', ', ',', ' , ']))}${chance(0.05) ? ',' : ''}${chance(0.7) ? ' ' : ''}}`;
    }
    const items = Array.from({ length: count }, () => (depth < 2 && chance(0.15) ? flow(depth + 1) : scalar()));
    return `[${items.join(pick([', ', ',', ' ,']))}${chance(0.05) ? ',' : ''}]`;
  };
  const block = (indent: number): void => {
    const header = `${pick(['|', '>'])}${pick(tame ? ['', '-'] : ['', '', '-', '+', '2', '-2'])}${chance(0.1) ? ' # header' : ''}`;
    lines[lines.length - 1] += header;
    const contentIndent = indent + 1 + Math.floor(random() * 3);
    const count = 1 + Math.floor(random() * 4);
    for (let line = 0; line < count; line++) {
      const text = pick(tame ? LINES.slice(0, 7) : LINES);
      lines.push(text === '' ? pad(Math.floor(random() * (contentIndent + 2))) : `${pad(contentIndent + (chance(0.1) ? 1 : 0))}${text}`);
    }
    if (chance(0.2)) lines.push('');
  };
  // A value after `key:` or `- ` on the current last line, the collection holding it at `indent`.
  const value = (indent: number, depth: number, inMapping: boolean): void => {
    const kind = depth >= 4 ? random() * 0.6 : random();
    if (kind < 0.4) lines[lines.length - 1] += ` ${scalar()}${comment()}`;
    else if (kind < 0.47) lines[lines.length - 1] += comment();
    else if (kind < 0.55) {
      lines[lines.length - 1] += ' ';
      block(indent);
    } else if (kind < 0.62) lines[lines.length - 1] += ` ${flow(0)}${comment()}`;
    else if (kind < 0.82) {
      lines[lines.length - 1] += comment();
      mapping(indent + 1 + Math.floor(random() * 3), depth + 1);
    } else {
      lines[lines.length - 1] += comment();
      sequence(inMapping && chance(0.4) ? indent : indent + 1 + Math.floor(random() * 3), depth + 1);
    }
  };
  const mapping = (indent: number, depth: number, first?: string): void => {
    const count = 1 + Math.floor(random() * 4);
    for (let entry = 0; entry < count; entry++) {
      filler(indent);
      const key = `${pick(KEY_NAMES)}:`;
      if (entry === 0 && first !== undefined) lines[lines.length - 1] = `${first}${key}`;
      else lines.push(`${pad(indent)}${key}`);
      value(indent, depth, true);
    }
  };
  const sequence = (indent: number, depth: number): void => {
    const count = 1 + Math.floor(random() * 4);
    for (let item = 0; item < count; item++) {
      filler(indent);
      const dash = `${pad(indent)}-${pick([' ', ' ', '  '])}`;
      if (depth < 4 && chance(0.35)) {
        lines.push(dash);
        mapping(dash.length, depth + 1, dash);
      } else {
        lines.push(`${pad(indent)}-`);
        value(indent, depth, false);
      }
    }
  };
  if (chance(0.1)) lines.push(pick(tame ? ['# leading comment', ''] : ['# leading comment', '---', '%YAML 1.2\n---', '']));
  if (chance(0.1)) sequence(0, 0);
  else mapping(0, 0);
  return `${lines.join('\n')}${chance(0.9) ? '\n' : ''}`;
}

/** One character inserted, removed or replaced at a random place. */
function mutated(text: string, random: () => number): string {
  const characters = [' ', ' ', ':', '-', '#', '\n', '"', "'", '[', ']', '{', '}', ',', '|', '>', '\t', 'a', '0', '.', '\\', '&', '*', '\r'];
  const at = Math.floor(random() * (text.length + 1));
  const char = characters[Math.floor(random() * characters.length)]!;
  const operation = random();
  if (operation < 0.4) return text.slice(0, at) + char + text.slice(at);
  if (operation < 0.7) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + char + text.slice(at + 1);
}

describe('the direct reader of common YAML', () => {
  it('reads every workflow, action and settings file in this repository as the yaml package does', () => {
    const files = execFileSync('git', ['ls-files', '*.yml', '*.yaml'], { encoding: 'utf8' }).trim().split('\n');
    const accepted = files.filter((file) => agreesWithYamlPackage(readFileSync(file, 'utf8')));
    // The examples are what users write: all of them are read directly.
    for (const file of files.filter((name) => name.startsWith('examples/'))) expect(accepted, file).toContain(file);
    expect(accepted.length).toBeGreaterThan(files.length * 0.9);
  });

  it('agrees with the yaml package on 8,000 random workflow-shaped texts and one-character mutations of them', () => {
    const random = prng(Number(process.env.COMMON_YAML_SEED ?? 20261202));
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < Number(process.env.COMMON_YAML_ROUNDS ?? 4000); round++) {
      const text = randomYaml(random, round % 2 === 0);
      for (const candidate of [text, mutated(text, random)]) {
        if (agreesWithYamlPackage(candidate)) accepted++;
        else refused++;
      }
    }
    // Both sides are exercised: the reader reads much of it and refuses the rest.
    expect(accepted).toBeGreaterThan(1500);
    expect(refused).toBeGreaterThan(2000);
  });

  it('reads the forms workflows are written in', () => {
    const texts = [
      'on:\n  push:\n    branches: [main, "release/*"]\n  workflow_dispatch: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Test\n        run: |\n          npm ci\n\n          npm test  # a comment in the script\n',
      'on: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n      matrix:\n        region: [us-east-1, eu-west-1]\n        include:\n        - region: us-east-1\n          primary: true\n    steps:\n    - run: >-\n        echo one\n        two\n',
      'on:\n  workflow_call:\n    inputs:\n      target: { type: string, required: true }\n      shards: { type: number, default: 1 }\njobs:\n  a:\n    steps: [{ run: echo }]\n',
      "env:\n  QUOTED: 'it''s'\n  ESCAPED: \"tab\\there \\u00e9\"\n  NUMBER: 0x1F\n  EMPTY:\n  NULLISH: ~\n'on': push\n",
    ];
    for (const text of texts) expect(agreesWithYamlPackage(text), text).toBe(true);
  });

  it('refuses what it does not read, and parseSpec then reads it with the yaml package', () => {
    const texts = [
      'a: &anchor x\nb: *anchor\n',
      'a: !!str 1\n',
      '---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a: multi\n  line plain\n',
      'a: "multi\n  line"\n',
      'a: |+\n  keep\n\n',
      'a: |2\n    indicated\n',
      'a:\n\tb: 1\n',
      'a: 1\r\nb: 2\r\n',
      '? complex\n: key\n',
      'a: {b: {c: [1,\n  2]}}\n',
      '- - nested\n',
      'a:\n  plain on its own line\n',
      '',
      '# only a comment\n',
    ];
    for (const text of texts) {
      expect(readCommonYaml(text), JSON.stringify(text)).toBeUndefined();
      expect(parseSpec(text)).toStrictEqual(parseSpecWithYamlPackage(text));
    }
  });

  it('reports duplicate and reserved keys as the yaml package path does, at the same places', () => {
    const text = 'jobs:\n  a:\n    steps: []\n  a:\n    steps: []\n  b: { x: 1, x: 2, __proto__: 3 }\nconstructor: 1\n';
    expect(agreesWithYamlPackage(text)).toBe(true);
    expect(readCommonYaml(text)?.errors.map((error) => [error.code, error.path, error.pos.line])).toEqual([
      ['duplicate-key', 'jobs.a', 4],
      ['duplicate-key', 'jobs.b.x', 6],
      ['reserved-key', 'jobs.b.__proto__', 6],
      ['reserved-key', 'constructor', 7],
    ]);
  });
});
