import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { readCommonYaml } from './common-yaml';
import { checkKey } from './key-checks';
import { MAX_DEPTH, MAX_NODES } from './limits';
import type { Position, ScalarStyle, SpecError, SpecEntry, SpecNode, SpecScalar } from './tree';

export interface ParsedSpec {
  /** Absent only when the text holds no document at all (empty or comments only). */
  readonly root?: SpecNode;
  readonly errors: readonly SpecError[];
}

const styles: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

/**
 * YAML text → spec tree with positions, plus every syntax error and duplicate key. The YAML most
 * workflows are written in is read directly (lib/source/common-yaml.ts); anything else by the `yaml` package.
 */
export function parseSpec(text: string): ParsedSpec {
  return readCommonYaml(text) ?? parseSpecWithYamlPackage(text);
}

/** parseSpec by the `yaml` package alone, whatever the text: the reference the direct reader is tested against. */
export function parseSpecWithYamlPackage(text: string): ParsedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const at = positionsOf(lineCounter.lineStarts);
  const errors: SpecError[] = doc.errors.map((error) => ({
    code: 'yaml-syntax',
    pos: at(error.pos[0]),
    path: '',
    message: firstLine(error.message),
  }));
  if (doc.contents === null) return { errors };
  const walker = new Walker(text, doc, at, errors);
  return { root: walker.convert(doc.contents, 0), errors };
}

/**
 * The 1-based position of an offset, as yaml's LineCounter.linePos finds it (a binary search over the
 * line starts), written straight into a Position: the walk asks for one per node.
 */
function positionsOf(lineStarts: readonly number[]): (offset: number) => Position {
  return (offset) => {
    let low = 0;
    let high = lineStarts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (lineStarts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (lineStarts[low] === offset) return { line: low + 1, column: 1 };
    if (low === 0) return { line: 0, column: offset };
    return { line: low, column: offset - lineStarts[low - 1]! + 1 };
  };
}

/** yaml's messages repeat the position and quote the source; keep the rule only. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

class Walker {
  private visited = 0;
  private tooLarge = false;
  /** The keys (and item indexes) from the root to the node being converted: its path, built only for a problem. */
  private readonly segments: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly doc: Document,
    private readonly at: (offset: number) => Position,
    private readonly errors: SpecError[],
  ) {}

  convert(node: unknown, depth: number): SpecNode {
    const start = this.startOf(node) ?? 0;
    if (++this.visited > MAX_NODES || depth > MAX_DEPTH) return this.limitExceeded(start);
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) return this.nullAt(start);
      return this.convert(target, depth + 1);
    }
    if (isMap(node)) {
      const entries: SpecEntry[] = [];
      const seen = new Set<string>();
      for (const pair of node.items) {
        const keyStart = this.startOf(pair.key) ?? start;
        const key = isScalar(pair.key) ? String(pair.key.value) : this.complexKey(keyStart);
        const keyPos = this.at(keyStart);
        this.segments.push(key);
        checkKey(key, keyPos, seen, this.segments, this.errors);
        const value = pair.value === null ? this.nullAt(keyStart) : this.convert(pair.value, depth + 1);
        this.segments.pop();
        entries.push({ key, keyPos, value });
      }
      return { kind: 'map', pos: this.at(start), entries };
    }
    if (isSeq(node)) {
      const pos = this.at(start);
      const items = node.items.map((item, index) => {
        this.segments.push(index);
        const converted = this.convert(item, depth + 1);
        this.segments.pop();
        return converted;
      });
      return { kind: 'seq', pos, items };
    }
    if (isScalar(node)) return this.scalar(node.value, node.type, start, node.range?.[1] ?? start);
    return this.nullAt(start);
  }

  private scalar(value: unknown, type: string | undefined, start: number, end: number): SpecScalar {
    return {
      kind: 'scalar',
      value: plainValue(value),
      pos: this.at(start),
      style: styles[type ?? 'PLAIN'] ?? 'plain',
      source: this.text.slice(start, end),
    };
  }

  private nullAt(offset: number): SpecScalar {
    return { kind: 'scalar', value: null, pos: this.at(offset), style: 'plain', source: '' };
  }

  private complexKey(offset: number): string {
    this.errors.push({ code: 'yaml-syntax', pos: this.at(offset), path: '', message: 'mapping keys must be plain scalars' });
    return '';
  }

  private limitExceeded(offset: number): SpecScalar {
    if (!this.tooLarge) {
      this.tooLarge = true;
      const message = `document too large or too deeply nested after expanding aliases (limits: ${MAX_NODES} nodes, depth ${MAX_DEPTH})`;
      this.errors.push({ code: 'yaml-syntax', pos: this.at(offset), path: '', message });
    }
    return this.nullAt(offset);
  }

  private startOf(node: unknown): number | undefined {
    return (node as YamlNode | null)?.range?.[0];
  }
}

function plainValue(value: unknown): SpecScalar['value'] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
