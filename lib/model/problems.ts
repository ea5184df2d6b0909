import type { Position } from '../source/tree';
import type { Problem } from './problem';

/** Collects problems for one file; the caller reports every one and never stops at the first. */
export class ProblemSink {
  private readonly items: Problem[] = [];
  private readonly warningItems: Problem[] = [];

  constructor(readonly file: string) {}

  report(code: string, pos: Position, path: string, message: string): void {
    this.items.push({ code, location: { file: this.file, line: pos.line, column: pos.column }, path, message });
  }

  /** A likely mistake that keeps GitHub's meaning: shown, never blocking. */
  warn(code: string, pos: Position, path: string, message: string): void {
    this.warningItems.push({ code, location: { file: this.file, line: pos.line, column: pos.column }, path, message, severity: 'warning' });
  }

  /** In file order (line, then column), stable for problems at the same place. */
  sorted(): Problem[] {
    return inFileOrder(this.items);
  }

  warnings(): Problem[] {
    return inFileOrder(this.warningItems);
  }
}

function inFileOrder(items: readonly Problem[]): Problem[] {
  return items
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        a.problem.location.line - b.problem.location.line ||
        a.problem.location.column - b.problem.location.column ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}
