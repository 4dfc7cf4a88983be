/** A one-line progress bar for long commands: done/total, events per second and time left. */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = done / seconds;
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const eta = rate > 0 && total > done ? `${Math.ceil((total - done) / rate)} s` : '-';
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}% ${done}/${total} events, ${Math.round(rate)} events/s, ETA ${eta}`;
    if (this.out.isTTY) this.out.write(`\r${line}`);
    else this.out.write(`${line}\n`);
  }

  finish(done: number, total: number): void {
    this.update(done, total, true);
    if (this.out.isTTY) this.out.write('\n');
  }
}
