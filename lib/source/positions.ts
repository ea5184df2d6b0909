import type { Position, SpecScalar } from './tree';

/**
 * The file position of the character at `offset` in a scalar's value, so that a problem inside a
 * long value (an expression in a `run:` script) points at the character, not at the value's start.
 * Exact for single-line plain and quoted values and for literal blocks (`|`); other multi-line
 * forms fold lines, and fall back to the value's start.
 */
export function positionInScalar(scalar: SpecScalar, offset: number): Position {
  const value = typeof scalar.value === 'string' ? scalar.value : String(scalar.value);
  const before = value.slice(0, Math.max(0, offset));
  const { line, column } = scalar.pos;
  switch (scalar.style) {
    case 'plain':
      return scalar.source.includes('\n') ? scalar.pos : { line, column: column + before.length };
    case 'single':
    case 'double':
      if (scalar.source.includes('\n')) return scalar.pos;
      return { line, column: column + 1 + sourceLength(scalar.source, before.length, scalar.style) };
    case 'literal':
      return inLiteralBlock(scalar, before);
    case 'folded':
      return scalar.pos;
  }
}

/**
 * How many source characters, after the opening quote, hold the first `offset` characters of the
 * decoded value: `''` in single quotes and escapes (`\t`, `\x41`, `\u00e9`) in double quotes are longer.
 */
function sourceLength(source: string, offset: number, style: 'single' | 'double'): number {
  const escapeLengths: Readonly<Record<string, number>> = { x: 4, u: 6, U: 10 };
  let index = 1;
  for (let decoded = 0; decoded < offset && index < source.length; decoded++) {
    if (style === 'single' && source.startsWith("''", index)) index += 2;
    else if (style === 'double' && source[index] === '\\') index += escapeLengths[source[index + 1] ?? ''] ?? 2;
    else index += 1;
  }
  return index - 1;
}

function inLiteralBlock(scalar: SpecScalar, before: string): Position {
  const lines = before.split('\n');
  const lineIndex = lines.length - 1;
  const columnInLine = (lines[lineIndex] ?? '').length;
  // The source starts at the `|` header; content lines follow it, all with the same indentation.
  const sourceLines = scalar.source.split('\n');
  const firstContent = sourceLines.slice(1).find((text) => text.trim() !== '') ?? '';
  const indent = firstContent.length - firstContent.trimStart().length;
  return { line: scalar.pos.line + 1 + lineIndex, column: indent + 1 + columnInLine };
}
