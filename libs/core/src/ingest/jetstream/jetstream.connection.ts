/**
 * The connection to NATS JetStream (when NATS_URL is set): made on first use, shared by the ingest
 * consumer (worker role) and the consumer-lag endpoint (any role). Creates the stream and the durable
 * pull consumer when they are missing; existing ones are used as they are.
 */
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, connect, nanos } from '@nats-io/transport-node';
import type { NatsConfig } from '@app/platform';
import { InjectConfig } from '../../infrastructure/infrastructure.module';
import type { AppConfig } from '@app/platform';

export interface ConsumerLag {
  /** Messages of the subject not yet delivered to the consumer. */
  readonly numPending: number;
  /** Delivered, not acknowledged yet (in a batch being ingested, or of a worker that died). */
  readonly numAckPending: number;
  readonly numRedelivered: number;
  /** Messages on the dead-letter subject kept by the stream. */
  readonly deadLettered: number;
}

const notFound = (error: unknown, code: number) => error instanceof JetStreamApiError && error.code === code;

@Injectable()
export class JetStreamConnection implements OnApplicationShutdown {
  readonly settings: NatsConfig | null;
  private connecting: Promise<{ nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager }> | null =
    null;
  private ensured = false;

  constructor(@InjectConfig() config: AppConfig) {
    this.settings = config.nats;
  }

  private get nats(): NatsConfig {
    if (!this.settings) throw new Error('NATS_URL is not set');
    return this.settings;
  }

  private async open() {
    this.connecting ??= (async () => {
      const nc = await connect({
        servers: this.nats.url.split(',').map((s) => s.trim()),
        name: 'referral-ledger',
        // Keep trying while NATS restarts; the consumer loop backs off meanwhile.
        maxReconnectAttempts: -1,
      });
      return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
    })().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  /** The stream (the ingest and dead-letter subjects) and the durable consumer, made if missing. */
  private async ensure(jsm: JetStreamManager): Promise<void> {
    if (this.ensured) return;
    const { stream, subject, deadLetterSubject, consumer, ackWaitSeconds, batchSize } = this.nats;
    try {
      await jsm.streams.info(stream);
    } catch (error) {
      if (!notFound(error, JetStreamApiCodes.StreamNotFound)) throw error;
      await jsm.streams.add({ name: stream, subjects: [subject, deadLetterSubject] });
    }
    try {
      await jsm.consumers.info(stream, consumer);
    } catch (error) {
      if (!notFound(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
      await jsm.consumers.add(stream, {
        durable_name: consumer,
        filter_subject: subject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(ackWaitSeconds * 1000),
        // Never given up on by the server: envelopes that cannot be stored go to the dead-letter subject.
        max_deliver: -1,
        // At most one batch out at a time: what a worker that died held is all that can come back late.
        max_ack_pending: batchSize,
      });
    }
    this.ensured = true;
  }

  /** The durable pull consumer of the ingest subject. */
  async consumer(): Promise<Consumer> {
    const { js, jsm } = await this.open();
    await this.ensure(jsm);
    return js.consumers.get(this.nats.stream, this.nats.consumer);
  }

  /** Publishes to the stream and resolves once JetStream has stored the message. */
  async publish(subject: string, payload: string, messageId: string): Promise<void> {
    const { js } = await this.open();
    await js.publish(subject, payload, { msgID: messageId });
  }

  /** Sends pending protocol messages (acks) to the server and waits for its answer. */
  async flush(): Promise<void> {
    const { nc } = await this.open();
    await nc.flush();
  }

  async lag(): Promise<ConsumerLag> {
    const { jsm } = await this.open();
    await this.ensure(jsm);
    const { stream, consumer, deadLetterSubject } = this.nats;
    const info = await jsm.consumers.info(stream, consumer);
    const streamInfo = await jsm.streams.info(stream, { subjects_filter: deadLetterSubject });
    return {
      numPending: info.num_pending,
      numAckPending: info.num_ack_pending,
      numRedelivered: info.num_redelivered,
      deadLettered: streamInfo.state.subjects?.[deadLetterSubject] ?? 0,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = null;
    if (!connecting) return;
    // drain(): what was published (acks included) reaches the server before the socket closes.
    await connecting.then(({ nc }) => nc.drain()).catch(() => undefined);
  }
}
