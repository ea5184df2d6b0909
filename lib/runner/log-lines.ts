// A step's output as lines: each masked line goes to the step log and the runner's own output, and the
// last few are kept for the failure's lastLines. Partial lines wait for their end (a value split over
// two chunks must still be masked).

import { createWriteStream, type WriteStream } from 'node:fs';
import type { LogMasker } from './masker';
import type { WorkflowCommands } from './workflow-commands';

export class LogLines {
  private readonly tail: string[] = [];
  private partial = '';
  private closed = false;
  private readonly file: WriteStream;

  constructor(
    path: string,
    private readonly masker: LogMasker,
    private readonly keep: number,
    private readonly echo: (line: string) => void,
    /** The step's workflow commands (`::add-mask::`, `::error::`…), read from each line it prints. */
    private readonly commands?: WorkflowCommands,
  ) {
    this.file = createWriteStream(path, { flags: 'a' });
  }

  /** Output after close (a background process the step left running) is dropped. */
  write(chunk: Buffer | string): void {
    if (this.closed) return;
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.printed(line);
  }

  private printed(text: string): void {
    const shown = this.commands === undefined ? text : this.commands.handle(text.replace(/\r$/, ''));
    if (shown !== undefined) this.line(shown);
  }

  /** A line of the runner's own (a working directory that does not exist, a bad output file). */
  line(text: string): void {
    if (this.closed) return;
    const masked = this.masker.mask(text.replace(/\r$/, ''));
    this.file.write(`${masked}\n`);
    this.echo(masked);
    this.tail.push(masked);
    if (this.tail.length > this.keep) this.tail.shift();
  }

  async close(): Promise<readonly string[]> {
    if (this.partial !== '') this.printed(this.partial);
    this.partial = '';
    this.closed = true;
    await new Promise<void>((resolve) => this.file.end(resolve));
    return [...this.tail];
  }
}
