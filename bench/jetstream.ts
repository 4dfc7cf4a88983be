/** The bench's side of NATS JetStream: a stream of its own per run, a publisher, and its removal. */
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';

export class BenchStream {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly url: string,
    readonly stream: string,
  ) {}

  /** null when no NATS with JetStream answers at `url`. */
  static async open(url: string, stamp: string): Promise<BenchStream | null> {
    try {
      const nc = await connect({ servers: url, name: 'referral-ledger-bench', timeout: 3000 });
      const jsm = await jetstreamManager(nc);
      return new BenchStream(nc, jetstream(nc), jsm, url, `BENCH_${stamp.replace(/[^A-Za-z0-9_-]/g, '_')}`);
    } catch {
      return null;
    }
  }

  get subject(): string {
    return `bench.${this.stream}.events`;
  }

  /** The service's JetStream settings (it creates the stream and its consumer itself). */
  env(batchSize: number): Record<string, string> {
    return {
      NATS_URL: this.url,
      NATS_STREAM: this.stream,
      NATS_SUBJECT: this.subject,
      NATS_CONSUMER: 'bench',
      NATS_DEAD_LETTER_SUBJECT: `bench.${this.stream}.dead-letter`,
      NATS_BATCH_SIZE: String(batchSize),
    };
  }

  /** Publishes every envelope, `concurrency` awaiting their stored-acknowledgement at once. */
  async publishAll(envelopes: readonly unknown[], concurrency = 64): Promise<void> {
    for (let i = 0; i < envelopes.length; i += concurrency) {
      await Promise.all(
        envelopes.slice(i, i + concurrency).map((e) => this.js.publish(this.subject, JSON.stringify(e))),
      );
    }
  }

  async close(): Promise<void> {
    await this.jsm.streams.delete(this.stream).catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
  }
}
