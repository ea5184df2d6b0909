// Strings that must never reach a log: every line the runner writes to a step log, and every line of
// a failure's lastLines, passes through here. Later issues register values (`::add-mask::`, secrets).

export const MASK = '***';

export class LogMasker {
  private readonly values = new Set<string>();
  /** Longest first, so that a value containing another is masked whole. */
  private ordered: string[] = [];

  /** Registers a value; a multi-line value is masked line by line, as lines are what get written. */
  add(value: string): void {
    for (const part of value.split(/\r?\n/)) {
      if (part.trim() === '' || this.values.has(part)) continue;
      this.values.add(part);
    }
    this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  mask(line: string): string {
    let masked = line;
    for (const value of this.ordered) masked = masked.replaceAll(value, MASK);
    return masked;
  }
}
