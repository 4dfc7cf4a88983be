/**
 * When the projection loops look at the log again: on a notification of appended events (LISTEN on
 * a connection of its own, reconnected in the background when it drops), on a poke, or after a
 * poll interval at the latest, so that a lost notification only delays them.
 */
import { Client } from 'pg';
import { Subject, firstValueFrom, race, timer } from 'rxjs';

const RECONNECT_DELAY_MS = 1000;

export class WakeUps {
  private readonly wakeUps = new Subject<void>();
  private readonly stopping = new Subject<void>();
  private listener: Client | null = null;
  private stopped = false;

  constructor(private readonly databaseUrl: string) {}

  /** Starts listening; a failure to connect is retried in the background (the poll goes on). */
  async start(): Promise<void> {
    await this.listen(false);
  }

  /** Ends the listener and wakes every sleeper for good. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.next();
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Wakes the sleepers now. */
  poke(): void {
    this.wakeUps.next();
  }

  /** Sleeps for `ms`, or until stop: wake-ups do not end it. */
  async pause(ms: number): Promise<void> {
    if (this.stopped) return;
    await firstValueFrom(race(this.stopping, timer(ms)));
  }

  /** Sleeps until a wake-up, stop, or `ms`. */
  async idle(ms: number): Promise<void> {
    await firstValueFrom(race(this.wakeUps, this.stopping, timer(ms)));
  }

  private async listen(reconnecting: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', () => this.wakeUps.next());
    client.on('error', () => {
      // The poll keeps the loops going; reconnect the listener in the background.
      this.listener = null;
      void client.end().catch(() => undefined);
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query('LISTEN events_appended');
      if (this.stopped) {
        await client.end();
        return;
      }
      this.listener = client;
      // The database is back: loops backing off after failures retry now instead of after their delay.
      if (reconnecting) this.wakeUps.next();
    } catch {
      await client.end().catch(() => undefined);
      this.reconnectLater();
    }
  }

  private reconnectLater(): void {
    setTimeout(() => void this.listen(true).catch(() => undefined), RECONNECT_DELAY_MS);
  }
}
