/**
 * The machine's NATS with JetStream (NATS_TEST_URL, default nats://127.0.0.1:4222) for the broker tests:
 * unique stream, subject and consumer names per test so that parallel runs do not meet, a publisher,
 * a reader of the dead-letter subject, and the removal of the stream afterwards.
 */
import { randomBytes } from 'node:crypto';
import {
  AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, connect, nanos } from '@nats-io/transport-node';

export const NATS_TEST_URL = process.env['NATS_TEST_URL'] ?? 'nats://127.0.0.1:4222';

export class TestStream {
  readonly stream: string;
  readonly subject: string;
  readonly deadLetterSubject: string;
  readonly consumer: string;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    tag: string,
  ) {
    const unique = `${tag}_${randomBytes(5).toString('hex')}`;
    this.stream = `RL_TEST_${unique}`;
    this.subject = `rl-test.${unique}.events`;
    this.deadLetterSubject = `rl-test.${unique}.dead-letter`;
    this.consumer = `rl-test-${unique}`;
  }

  static async open(tag: string): Promise<TestStream> {
    const nc = await connect({ servers: NATS_TEST_URL, name: 'referral-ledger-tests' });
    return new TestStream(nc, jetstream(nc), await jetstreamManager(nc), tag);
  }

  /** What the service reads its JetStream settings from. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      NATS_URL: NATS_TEST_URL,
      NATS_STREAM: this.stream,
      NATS_SUBJECT: this.subject,
      NATS_CONSUMER: this.consumer,
      NATS_DEAD_LETTER_SUBJECT: this.deadLetterSubject,
      ...extra,
    };
  }

  /** Makes the stream as the service would, so that messages published before it starts are kept. */
  async create(): Promise<void> {
    await this.jsm.streams.add({ name: this.stream, subjects: [this.subject, this.deadLetterSubject] });
  }

  /** Makes the durable consumer as the service would, with a short ack wait. */
  async createConsumer(ackWaitSeconds: number, maxAckPending = 250): Promise<void> {
    await this.jsm.consumers.add(this.stream, {
      durable_name: this.consumer,
      filter_subject: this.subject,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ackWaitSeconds * 1000),
      max_deliver: -1,
      max_ack_pending: maxAckPending,
    });
  }

  /** Fetches from the durable consumer like a worker that then dies: the messages are never acked. */
  async fetchAndAbandon(count: number): Promise<JsMsg[]> {
    const consumer = await this.js.consumers.get(this.stream, this.consumer);
    const messages: JsMsg[] = [];
    for await (const message of await consumer.fetch({ max_messages: count, expires: 2000 })) {
      messages.push(message);
      if (messages.length === count) break;
    }
    return messages;
  }

  /** Publishes one message (an envelope as JSON, or any text) and waits until JetStream stored it. */
  async publish(payload: unknown): Promise<void> {
    await this.js.publish(this.subject, typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  /** Every message on the dead-letter subject so far, parsed, in stream order. */
  async deadLetters(): Promise<Record<string, unknown>[]> {
    const letters: Record<string, unknown>[] = [];
    const { state } = await this.jsm.streams.info(this.stream);
    // Read by sequence: filtered consumers need a newer server than some machines run (2.9).
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const message = await this.jsm.streams.getMessage(this.stream, { seq }).catch(() => null);
      if (message?.subject === this.deadLetterSubject) letters.push(message.json<Record<string, unknown>>());
    }
    return letters;
  }

  /** The durable consumer's counters, as JetStream reports them. */
  async consumerInfo(): Promise<{ numPending: number; numAckPending: number; deliveries: number }> {
    const info = await this.jsm.consumers.info(this.stream, this.consumer);
    // consumer_seq counts every delivery, redeliveries included.
    return {
      numPending: info.num_pending,
      numAckPending: info.num_ack_pending,
      deliveries: info.delivered.consumer_seq,
    };
  }

  async close(): Promise<void> {
    await this.jsm.streams.delete(this.stream).catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
  }
}
