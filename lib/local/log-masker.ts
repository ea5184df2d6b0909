// Secret values never reach a local build's log: each line is written with every value replaced by
// `***`, longest first, so that a value containing another is masked whole. A multi-line value is
// masked line by line, since lines are what get written.

export const MASK = '***';

export class LogMasker {
  private readonly values: string[];

  constructor(values: readonly string[]) {
    const parts = new Set(values.flatMap((value) => value.split(/\r?\n/)).filter((part) => part.trim() !== ''));
    this.values = [...parts].sort((a, b) => b.length - a.length);
  }

  mask(line: string): string {
    let masked = line;
    for (const value of this.values) masked = masked.replaceAll(value, MASK);
    return masked;
  }
}
