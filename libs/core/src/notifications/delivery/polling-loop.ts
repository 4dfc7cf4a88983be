/**
 * Runs one dispatcher's work over and over: a tick that says whether it found work runs again at once,
 * otherwise after the poll interval (or sooner when poked). An error is logged and retried with backoff.
 */
import type { Logger } from '@nestjs/common';

export class PollingLoop {
  private stopped = true;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly tick: () => Promise<boolean>,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Waits for the tick in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.running;
    this.running = null;
  }

  poke(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let busy = false;
      try {
        busy = await this.tick();
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.error(error instanceof Error ? error.message : String(error));
      }
      if (this.stopped) break;
      if (busy) continue;
      const wait = failures > 0 ? Math.min(30_000, this.pollMs * 2 ** Math.min(failures, 8)) : this.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
