// Most workflow files use a small part of YAML: block mappings and sequences, one-line plain and
// quoted scalars, literal and folded blocks, one-line flow sequences, comments. This reads that part
// straight into the spec tree, several times faster than the `yaml` package reads any YAML (its lexer,
// CST and document model); on large files that is most of what `validate` costs. Anything outside the
// part (anchors, aliases, tags, flow mappings, multi-line plain or quoted scalars, tabs outside block
// scalars, directives, several documents, `|+`, indentation indicators) or anything that might be an
// error makes it give up, and the `yaml` package reads the file. That package is the reference: a
// differential test (test/source/common-yaml.test.ts) checks the two agree on every text this accepts.
import { checkKey } from './key-checks';
import { MAX_DEPTH, MAX_NODES } from './limits';
import type { ParsedSpec } from './parse';
import type { Position, SpecEntry, SpecError, SpecMap, SpecNode, SpecScalar, SpecSeq } from './tree';

/** Thrown where the text leaves the part of YAML read here; caught once, at the top. */
class OutsideCommonYaml extends Error {}
function giveUp(): never {
  throw new OutsideCommonYaml();
}

/** Characters the `yaml` package treats in ways not mirrored here (line breaks other than \n, BOM, controls). */
const UNUSUAL_CHARACTERS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
/** Characters that start something other than a plain scalar (YAML's indicators), quotes and blocks included. */
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
/** Characters not read in a plain key or a flow sequence item (flow indicators and the like). */
const UNUSUAL_IN_KEY = /[[\]{}]/;
/** YAML 1.2 core schema (the `yaml` package's default), in its order: what a plain scalar resolves to. */
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCTAL = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Plain scalars not starting with one of these are strings. */
const MAYBE_NOT_STRING = /^[-+.~0-9nNtTfF]/;
/** The `yaml` package refuses implicit keys longer than 1024 characters; well below that, keys are read here. */
const MAX_KEY_LENGTH = 1000;

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPE_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** The spec tree of `text` if it is written in the common part of YAML; undefined if not (the `yaml` package reads it). */
export function readCommonYaml(text: string): ParsedSpec | undefined {
  if (UNUSUAL_CHARACTERS.test(text)) return undefined;
  try {
    return new CommonYamlReader(text).read();
  } catch (error) {
    if (error instanceof OutsideCommonYaml) return undefined;
    throw error;
  }
}

function indentOf(line: string): number {
  let indent = 0;
  while (line.charCodeAt(indent) === 32) indent++;
  return indent;
}

function spacesFrom(line: string, index: number): number {
  while (line.charCodeAt(index) === 32) index++;
  return index;
}

/** After a value: nothing but spaces and a comment may follow on its line. */
function endsLine(line: string, index: number): boolean {
  const next = spacesFrom(line, index);
  return next === line.length || (line[next] === '#' && next > index);
}

/** `- ` or a lone `-`: a block sequence item at `index`. */
function isItemAt(line: string, index: number): boolean {
  return line[index] === '-' && (index + 1 === line.length || line[index + 1] === ' ');
}

/** A character a plain scalar in a flow collection may go on with after `-` or `:` (not a space, a flow indicator or the line's end). */
function isFlowSafe(line: string, index: number): boolean {
  const char = line[index];
  return char !== undefined && char !== ' ' && char !== ',' && char !== '[' && char !== ']' && char !== '{' && char !== '}';
}

function resolvePlain(text: string): string | number | boolean | null {
  if (!MAYBE_NOT_STRING.test(text)) return text;
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT_OCTAL.test(text)) return parseInt(text.substring(2), 8);
  if (INT.test(text)) return parseInt(text, 10);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (FLOAT_SPECIAL.test(text)) return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity;
  if (FLOAT.test(text)) return parseFloat(text);
  return text;
}

/** A mapping key as read: its value and the index after its `:`. */
interface Key {
  readonly value: string;
  readonly end: number;
}

interface Quoted {
  readonly value: string;
  /** The index after the closing quote. */
  readonly end: number;
}

class CommonYamlReader {
  private readonly lines: string[];
  /** The line being read: the last line a node consumed. */
  private current = -1;
  private nodes = 0;
  private readonly segments: (string | number)[] = [];
  private readonly errors: SpecError[] = [];

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  read(): ParsedSpec {
    const first = this.nextContentLine();
    if (first < 0) giveUp(); // no document: the `yaml` package says what that is
    const line = this.lines[first]!;
    if (indentOf(line) !== 0) giveUp();
    this.current = first;
    const root = isItemAt(line, 0) ? this.sequence(0, 0) : this.mapping(0, 0);
    if (this.nextContentLine() >= 0) giveUp();
    return { root, errors: this.errors };
  }

  /** The next line after the current one holding more than spaces and a comment, or -1; never one with a tab. */
  private nextContentLine(): number {
    for (let index = this.current + 1; index < this.lines.length; index++) {
      const line = this.lines[index]!;
      if (line.includes('\t')) giveUp();
      const start = spacesFrom(line, 0);
      if (start < line.length && line[start] !== '#') return index;
    }
    return -1;
  }

  private count(depth: number): void {
    if (++this.nodes >= MAX_NODES || depth >= MAX_DEPTH) giveUp();
  }

  private at(line: number, index: number): Position {
    return { line: line + 1, column: index + 1 };
  }

  /** A block mapping whose first key starts at `column` of the current line (`first`, when the caller has read it already). */
  private mapping(column: number, depth: number, first?: Key): SpecMap {
    this.count(depth);
    const pos = this.at(this.current, column);
    const entries: SpecEntry[] = [];
    const seen = new Set<string>();
    let read = first;
    for (;;) {
      const line = this.lines[this.current]!;
      const key = read ?? this.keyAt(line, column) ?? giveUp();
      read = undefined;
      const keyPos = this.at(this.current, column);
      this.segments.push(key.value);
      checkKey(key.value, keyPos, seen, this.segments, this.errors);
      const value = this.valueAfter(line, key.end, column, true, depth + 1);
      this.segments.pop();
      entries.push({ key: key.value, keyPos, value });
      const next = this.nextContentLine();
      if (next < 0) break;
      const indent = indentOf(this.lines[next]!);
      if (indent < column) break;
      if (indent > column || isItemAt(this.lines[next]!, indent)) giveUp();
      this.current = next;
    }
    return { kind: 'map', pos, entries };
  }

  /** A block sequence whose first `-` is at `column` of the current line. */
  private sequence(column: number, depth: number): SpecSeq {
    this.count(depth);
    const pos = this.at(this.current, column);
    const items: SpecNode[] = [];
    for (let index = 0; ; index++) {
      const line = this.lines[this.current]!;
      this.segments.push(index);
      items.push(this.item(line, column, depth + 1));
      this.segments.pop();
      const next = this.nextContentLine();
      if (next < 0) break;
      const indent = indentOf(this.lines[next]!);
      if (indent < column) break;
      if (indent > column) giveUp();
      if (!isItemAt(this.lines[next]!, indent)) break; // the next key of the mapping this sequence is a value of
      this.current = next;
    }
    return { kind: 'seq', pos, items };
  }

  /** A sequence item after its `-` at `column`: a compact mapping (`- name: x`), a value, or the block below. */
  private item(line: string, column: number, depth: number): SpecNode {
    const start = spacesFrom(line, column + 1);
    if (start < line.length && line[start] !== '#') {
      if (isItemAt(line, start)) giveUp(); // `- - x`
      const key = this.keyAt(line, start);
      if (key !== undefined) return this.mapping(start, depth, key);
    }
    return this.valueAfter(line, column + 1, column, false, depth);
  }

  /**
   * The value after a key's `:` or an item's `-` (at `index`, in a collection at `column`): on the same
   * line, on the lines below (more indented, or a sequence at the mapping's own column), or empty.
   */
  private valueAfter(line: string, index: number, column: number, ofMapping: boolean, depth: number): SpecNode {
    const start = spacesFrom(line, index);
    if (start < line.length && line[start] !== '#') return this.inlineValue(line, start, column, depth);
    const emptyPos = this.at(this.current, start);
    const next = this.nextContentLine();
    if (next >= 0) {
      const below = this.lines[next]!;
      const indent = indentOf(below);
      if (indent > column || (ofMapping && indent === column && isItemAt(below, indent))) {
        this.current = next;
        if (isItemAt(below, indent)) return this.sequence(indent, depth);
        return this.mapping(indent, depth, this.keyAt(below, indent) ?? giveUp()); // no key: a scalar on a line of its own
      }
    }
    this.count(depth);
    return { kind: 'scalar', value: null, pos: emptyPos, style: 'plain', source: '' };
  }

  private inlineValue(line: string, start: number, column: number, depth: number): SpecNode {
    const first = line[start]!;
    if (first === '|' || first === '>') return this.blockScalar(line, start, column, depth);
    if (first === '[' || first === '{') return this.flowValueOnLine(line, start, depth);
    this.count(depth);
    const pos = this.at(this.current, start);
    if (first === '"' || first === "'") {
      const quoted = this.quotedAt(line, start);
      if (!endsLine(line, quoted.end)) giveUp();
      return { kind: 'scalar', value: quoted.value, pos, style: first === '"' ? 'double' : 'single', source: line.slice(start, quoted.end) };
    }
    const text = this.plainAt(line, start);
    return { kind: 'scalar', value: resolvePlain(text), pos, style: 'plain', source: text };
  }

  /** A one-line plain scalar at `start`, up to a comment or the line's end, trailing spaces trimmed. */
  private plainAt(line: string, start: number): string {
    const first = line[start]!;
    if (INDICATORS.has(first) && !(first === '-' && start + 1 < line.length && line[start + 1] !== ' ')) giveUp();
    let end = line.length;
    const comment = line.indexOf(' #', start);
    if (comment >= 0) end = comment;
    while (line.charCodeAt(end - 1) === 32) end--;
    const text = line.slice(start, end);
    if (text.includes(': ') || text.endsWith(':')) giveUp(); // a mapping where a value should be
    return text;
  }

  /** A key (plain or quoted, then `:` and a space or the line's end) at `start`, or undefined when there is none. */
  private keyAt(line: string, start: number): Key | undefined {
    const first = line[start];
    if (first === '"' || first === "'") {
      const quoted = this.quotedAt(line, start);
      const colon = quoted.end;
      return line[colon] === ':' && (colon + 1 === line.length || line[colon + 1] === ' ') ? { value: quoted.value, end: colon + 1 } : undefined;
    }
    if (first === undefined || INDICATORS.has(first)) return undefined;
    for (let index = start + 1; index < line.length; index++) {
      const char = line[index];
      if (char === ':' && (index + 1 === line.length || line[index + 1] === ' ')) {
        const text = line.slice(start, index);
        if (line[index - 1] === ' ' || text.length > MAX_KEY_LENGTH || UNUSUAL_IN_KEY.test(text)) giveUp();
        return { value: String(resolvePlain(text)), end: index + 1 };
      }
      if (char === '#' && line[index - 1] === ' ') return undefined;
    }
    return undefined;
  }

  /** A single- or double-quoted scalar closed on its own line. */
  private quotedAt(line: string, start: number): Quoted {
    return line[start] === "'" ? singleQuotedAt(line, start) : doubleQuotedAt(line, start);
  }

  /** Where the last flow node read ended. */
  private flowEnd = 0;

  /** A flow collection at `start`, closed on the same line: the whole value of its key or item. */
  private flowValueOnLine(line: string, start: number, depth: number): SpecNode {
    const node = this.flowNode(line, start, depth);
    if (!endsLine(line, this.flowEnd)) giveUp();
    return node;
  }

  /** `[…]`, `{…}` or a scalar inside them, on one line; `flowEnd` is set after it. */
  private flowNode(line: string, start: number, depth: number): SpecNode {
    this.count(depth);
    const pos = this.at(this.current, start);
    const first = line[start];
    if (first === '[' || first === '{') {
      const close = first === '[' ? ']' : '}';
      const items: SpecNode[] = [];
      const entries: SpecEntry[] = [];
      const seen = new Set<string>();
      let index = spacesFrom(line, start + 1);
      if (line[index] === close) index++;
      else {
        for (;;) {
          if (first === '[') {
            this.segments.push(items.length);
            items.push(this.flowNode(line, index, depth + 1));
          } else {
            const keyPos = this.at(this.current, index);
            const key = this.flowNode(line, index, depth + 1);
            if (key.kind !== 'scalar') giveUp();
            const colon = spacesFrom(line, this.flowEnd);
            if (line[colon] !== ':' || line[colon + 1] !== ' ') giveUp(); // `{a}`, `{"a":1}`
            const name = String(key.value);
            this.segments.push(name);
            checkKey(name, keyPos, seen, this.segments, this.errors);
            const valueStart = spacesFrom(line, colon + 1);
            if (valueStart === line.length || ',]}#'.includes(line[valueStart]!)) giveUp(); // an empty value
            entries.push({ key: name, keyPos, value: this.flowNode(line, valueStart, depth + 1) });
          }
          this.segments.pop();
          index = spacesFrom(line, this.flowEnd);
          if (line[index] === close) {
            index++;
            break;
          }
          if (line[index] !== ',') giveUp();
          index = spacesFrom(line, index + 1);
          if (line[index] === close) giveUp(); // a trailing comma
        }
      }
      this.flowEnd = index;
      return first === '[' ? { kind: 'seq', pos, items } : { kind: 'map', pos, entries };
    }
    if (first === '"' || first === "'") {
      const quoted = this.quotedAt(line, start);
      this.flowEnd = quoted.end;
      return { kind: 'scalar', value: quoted.value, pos, style: first === '"' ? 'double' : 'single', source: line.slice(start, quoted.end) };
    }
    if (first === undefined || (INDICATORS.has(first) && !(first === '-' && isFlowSafe(line, start + 1)))) giveUp();
    let end = start + 1;
    for (; end < line.length; end++) {
      const char = line[end]!;
      if (char === ',' || char === ']' || char === '}') break;
      if (char === ':' && !isFlowSafe(line, end + 1)) break;
      if (char === '[' || char === '{' || (char === '#' && line[end - 1] === ' ')) giveUp();
    }
    if (end === line.length) giveUp(); // the collection goes on below
    this.flowEnd = end;
    while (line.charCodeAt(end - 1) === 32) end--;
    const text = line.slice(start, end);
    return { kind: 'scalar', value: resolvePlain(text), pos, style: 'plain', source: text };
  }

  /** `|`, `|-`, `>` or `>-` at `start`, its content on the lines below, more indented than `column`. */
  private blockScalar(line: string, start: number, column: number, depth: number): SpecScalar {
    this.count(depth);
    const literal = line[start] === '|';
    let index = start + 1;
    const strip = line[index] === '-';
    if (strip) index++;
    if (!endsLine(line, index) || (index < line.length && line[index] !== ' ')) giveUp();
    const header = this.current;
    const content: string[] = [];
    let contentIndent = -1;
    let last = -1;
    for (let number = header + 1; number < this.lines.length; number++) {
      const text = this.lines[number]!;
      const indent = indentOf(text);
      if (indent === text.length) {
        if (contentIndent < 0 || indent > contentIndent) giveUp(); // leading or more-indented empty lines
        content.push('');
        continue;
      }
      if (contentIndent < 0) {
        if (indent <= column) giveUp(); // an empty block
        contentIndent = indent;
      } else if (indent < contentIndent) {
        if (indent > column) giveUp();
        break;
      }
      if (text[indent] === '\t' || (!literal && indent > contentIndent)) giveUp(); // folding of more-indented lines
      content.push(text.slice(contentIndent));
      last = number;
    }
    if (last < 0) giveUp();
    content.length = last - header; // trailing empty lines are chomped
    let value = literal ? content.join('\n') : fold(content);
    if (!strip) value += '\n';
    const source = this.lines.slice(header, last + 1).join('\n').slice(start) + (last + 1 < this.lines.length ? '\n' : '');
    this.current = last;
    return { kind: 'scalar', value, pos: this.at(header, start), style: literal ? 'literal' : 'folded', source };
  }
}

/** A folded block's lines: a line break between two lines is a space, each empty line a line break. */
function fold(lines: readonly string[]): string {
  let value = '';
  let separator = '';
  for (const line of lines) {
    if (line === '') {
      if (separator === '\n') value += '\n';
      else separator = '\n';
    } else {
      value += separator + line;
      separator = ' ';
    }
  }
  return value;
}

function singleQuotedAt(line: string, start: number): Quoted {
  let value = '';
  let from = start + 1;
  for (;;) {
    const close = line.indexOf("'", from);
    if (close < 0) giveUp(); // it goes on below
    if (line[close + 1] === "'") {
      value += line.slice(from, close + 1);
      from = close + 2;
      continue;
    }
    return { value: value + line.slice(from, close), end: close + 1 };
  }
}

function doubleQuotedAt(line: string, start: number): Quoted {
  let value = '';
  let from = start + 1;
  for (let index = from; index < line.length; index++) {
    const char = line[index];
    if (char === '"') return { value: value + line.slice(from, index), end: index + 1 };
    if (char !== '\\') continue;
    value += line.slice(from, index);
    const escape = line[index + 1] ?? giveUp();
    const digits = HEX_ESCAPE_DIGITS[escape];
    if (digits !== undefined) {
      const hex = line.slice(index + 2, index + 2 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) giveUp();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) giveUp();
      value += String.fromCodePoint(code);
      index += 1 + digits;
    } else {
      value += ESCAPES[escape] ?? giveUp();
      index += 1;
    }
    from = index + 1;
  }
  return giveUp(); // it goes on below
}
