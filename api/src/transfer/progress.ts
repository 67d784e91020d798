/**
 * Rows copied out of the total, for tables of more than one batch. On a terminal the line is
 * rewritten in place; in a log, a line every tenth.
 */
export interface ProgressOutput {
  write: (text: string) => void;
  interactive: boolean;
}

export class Progress {
  private done = 0;
  private reported = 0;

  constructor(
    private readonly output: ProgressOutput,
    private readonly label: string,
    private readonly total: number,
  ) {}

  advance(rows: number): void {
    this.done += rows;
    const tenth = Math.floor((this.done / Math.max(this.total, 1)) * 10);
    if (this.output.interactive) {
      this.output.write(`\r  ${this.line()}`);
    } else if (tenth > this.reported && this.done < this.total) {
      this.reported = tenth;
      this.output.write(`  ${this.line()}\n`);
    }
  }

  finish(summary: string): void {
    this.output.write(`${this.output.interactive ? '\r\x1b[2K' : ''}  ${this.label}: ${summary}\n`);
  }

  private line(): string {
    const format = (value: number) => value.toLocaleString('en-US');
    return `${this.label}: ${format(this.done)} / ${format(this.total)} rows (${Math.floor((this.done / Math.max(this.total, 1)) * 100)}%)`;
  }
}
