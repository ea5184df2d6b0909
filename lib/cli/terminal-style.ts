// How the CLI may draw on its output: colours and cursor movement only on a terminal that takes
// them. NO_COLOR (https://no-color.org: set and not empty) turns colours off; TERM=dumb turns off
// colours and redrawing in place (such a terminal cannot move the cursor).
import type { CliIo } from './io';

export interface TerminalStyle {
  /** Redraw a block in place (cursor up, erase line). */
  readonly live: boolean;
  readonly color: boolean;
}

export function terminalStyle(io: Pick<CliIo, 'isTTY' | 'env'>): TerminalStyle {
  const dumb = io.env.TERM === 'dumb';
  const live = io.isTTY && !dumb;
  return { live, color: live && !io.env.NO_COLOR };
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;
export type Paint = keyof typeof codes;

/** Wraps text in an SGR colour when colours are on. */
export function painter(style: TerminalStyle): (paint: Paint | undefined, text: string) => string {
  return (paint, text) => (style.color && paint !== undefined && text !== '' ? `\u001b[${codes[paint]}m${text}\u001b[0m` : text);
}
