/**
 * Ingest from NATS JetStream (worker role, NATS_URL set): a durable pull consumer, fetched in batches
 * that go through the ingest pipeline in one call (IngestService.ingest, the same as POST /v1/events).
 * One worker consumes at a time (a lease), so envelopes are ingested in stream order; the others stand
 * by and take over when it goes away (after the messages it left unacknowledged come back). A message is acked only after its batch committed; a redelivered
 * one comes back `duplicate`. A rejected or malformed message is published to the dead-letter subject
 * with its problem document, then acked. An `unknown-attempt` (sent before its attempt) is retried a
 * few times first, as the HTTP contract allows.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { Client } from 'pg';
import {
  type AppConfig,
  type NatsConfig,
  type ProblemDocument,
  isDatabaseUnavailable,
  problem,
  processIdentity,
  tryAcquireLease,
} from '@app/platform';
import { InjectConfig } from '../../infrastructure/infrastructure.module';
import { DATABASE_URL } from '../../infrastructure/tokens';
import type { WorkerTask } from '../../worker/worker-task';
import type { IngestEnvelope } from '../ingest-slice';
import { type IngestResult, IngestService } from '../ingest.service';
import { type DeadLetter, parseMessage } from './broker-message';
import { JetStreamConnection } from './jetstream.connection';

/** Deliveries of an `unknown-attempt` envelope before it is dead-lettered. */
const UNKNOWN_ATTEMPT_DELIVERIES = 5;
const FETCH_EXPIRES_MS = 1000;

export type ConsumerStatus = 'not-configured' | 'stopped' | 'starting' | 'consuming' | 'standby' | 'failed';

/** The lease a consumer's leader holds. */
export const consumerLease = (stream: string, consumer: string): string => `consumer:${stream}/${consumer}`;

type Parsed =
  | { readonly message: JsMsg; readonly envelope: IngestEnvelope }
  | {
      readonly message: JsMsg;
      readonly problem: ProblemDocument;
      readonly json: unknown;
      readonly text?: string;
    };

@Injectable()
export class JetStreamIngestTask implements WorkerTask {
  readonly name = 'jetstream-ingest';
  private readonly logger = new Logger('JetStream');
  private loop: Promise<void> = Promise.resolve();
  private stopping = false;
  private wake: (() => void) | null = null;
  private failures = 0;
  status: ConsumerStatus = 'stopped';
  lastError: string | null = null;

  constructor(
    private readonly connection: JetStreamConnection,
    private readonly ingest: IngestService,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {
    if (!config.nats) this.status = 'not-configured';
  }

  get healthy(): boolean {
    return this.status !== 'failed';
  }

  async start(): Promise<void> {
    if (!this.config.nats) return;
    this.stopping = false;
    this.status = 'starting';
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.config.nats) this.status = 'stopped';
  }

  /** The NATS settings; the consumer only starts with them (start()). */
  private get nats(): NatsConfig {
    const nats = this.config.nats;
    if (!nats) throw new Error('The JetStream consumer runs only when NATS_URL is set');
    return nats;
  }

  private async idle(ms: number): Promise<void> {
    await new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
    this.wake = null;
  }

  private async run(): Promise<void> {
    const nats = this.nats;
    const lease = consumerLease(nats.stream, nats.consumer);
    const holder = processIdentity(this.config.role);
    while (!this.stopping) {
      const leaseClient = new Client({ connectionString: this.databaseUrl });
      leaseClient.on('error', () => undefined);
      try {
        await leaseClient.connect();
        if (!(await tryAcquireLease(leaseClient, lease, holder))) {
          this.status = 'standby';
          await leaseClient.end();
          await this.idle(1000);
          continue;
        }
        const consumer = await this.connection.consumer();
        await this.afterPreviousLeader(nats.ackWaitSeconds * 1000);
        this.status = 'consuming';
        this.logger.log(`consuming ${nats.subject} of stream ${nats.stream} as ${nats.consumer} (${holder})`);
        while (!this.stopping) {
          // The lease lives as long as its connection: make sure it still does before each batch.
          await leaseClient.query('SELECT 1');
          const messages: JsMsg[] = [];
          const batch = await consumer.fetch({ max_messages: nats.batchSize, expires: FETCH_EXPIRES_MS });
          for await (const message of batch) messages.push(message);
          if (messages.length === 0) continue;
          await this.handle(messages);
          this.failures = 0;
          this.lastError = null;
        }
      } catch (error) {
        this.failures++;
        this.status = 'failed';
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.error(`ingest from ${nats.subject}: ${this.lastError}`);
        await this.idle(Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7)));
      } finally {
        await leaseClient.end().catch(() => undefined);
      }
    }
  }

  /**
   * Messages that the previous leader fetched and never acked (it died mid-batch) are delivered again
   * only after NATS_ACK_WAIT, and before any later message; fetching sooner would ingest later messages
   * first. So a new leader waits for them, at most that long.
   */
  private async afterPreviousLeader(ackWaitMs: number): Promise<void> {
    const deadline = Date.now() + ackWaitMs + 500;
    while (!this.stopping && Date.now() < deadline && (await this.connection.lag()).numAckPending > 0) {
      await this.idle(250);
    }
  }

  /** One fetched batch: ingest, then dead letters, then acks (after the commit). */
  async handle(messages: readonly JsMsg[]): Promise<void> {
    const parsed: Parsed[] = messages.map((message) => {
      const read = parseMessage(message.data);
      if ('problem' in read) return { message, problem: read.problem, json: null, text: read.text };
      const checked = this.ingest.check(read.json);
      return 'envelope' in checked
        ? { message, envelope: checked.envelope }
        : { message, problem: checked.problem, json: read.json };
    });
    const valid = parsed.filter((p): p is Extract<Parsed, { envelope: IngestEnvelope }> => 'envelope' in p);
    let results: IngestResult[];
    try {
      results = await this.ingestAll(valid.map((p) => p.envelope));
    } catch (error) {
      // Nothing was stored: every message comes back after a pause (the loop backs off too).
      for (const p of parsed) p.message.nak(1000);
      await this.connection.flush().catch(() => undefined);
      throw error;
    }
    const resultOf = new Map<Parsed, IngestResult>();
    valid.forEach((p, i) => {
      const result = results[i];
      if (result) resultOf.set(p, result);
    });
    const settle = parsed.map(async (p) => {
      // A malformed message has no result; a valid one without a result is dead-lettered as a 500.
      const result = resultOf.get(p) ?? null;
      if (result && result.status !== 'rejected') {
        p.message.ack();
        return;
      }
      const why = result?.error ?? ('problem' in p ? p.problem : problem(500, 'No result'));
      if (why['code'] === 'unknown-attempt' && p.message.info.deliveryCount < UNKNOWN_ATTEMPT_DELIVERIES) {
        // Its attempt may still be on its way (another publisher, or POST /v1/events): try again later.
        p.message.nak(1000 * p.message.info.deliveryCount);
        return;
      }
      await this.deadLetter(p, why);
      p.message.ack();
    });
    await Promise.all(settle);
    await this.connection.flush();
  }

  /**
   * The batch in one call of the pipeline. Should the batch fail as a whole for another reason than an
   * unavailable database (a defect), its envelopes go one by one, and one that fails alone gets a 500
   * problem and is dead-lettered instead of being redelivered forever.
   */
  private async ingestAll(envelopes: readonly IngestEnvelope[]): Promise<IngestResult[]> {
    if (envelopes.length === 0) return [];
    const meta = { actor: `nats:${this.nats.consumer}` };
    try {
      return await this.ingest.ingest(envelopes, meta);
    } catch (error) {
      if (isDatabaseUnavailable(error) || envelopes.length === 1) throw error;
      this.logger.warn(`a batch failed (${String(error)}); ingesting its envelopes one by one`);
    }
    const results: IngestResult[] = [];
    for (const envelope of envelopes) {
      try {
        results.push(...(await this.ingest.ingest([envelope], meta)));
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        this.logger.error(`envelope ${envelope.eventId} could not be ingested: ${String(error)}`);
        results.push({
          eventId: envelope.eventId,
          status: 'rejected',
          error: problem(500, 'The envelope could not be ingested; nothing was stored'),
        });
      }
    }
    return results;
  }

  private async deadLetter(p: Parsed, why: ProblemDocument): Promise<void> {
    const nats = this.nats;
    const info = p.message.info;
    const letter: DeadLetter = {
      problem: why,
      envelope: 'envelope' in p ? JSON.parse(Buffer.from(p.message.data).toString('utf8')) : p.json,
      ...('text' in p && p.text !== undefined ? { message: p.text } : {}),
      source: {
        stream: info.stream,
        subject: p.message.subject,
        sequence: info.streamSequence,
        deliveryCount: info.deliveryCount,
      },
      deadLetteredAt: new Date().toISOString(),
    };
    // One dead letter per stream message, also when it is delivered again (JetStream's duplicate window).
    await this.connection.publish(
      nats.deadLetterSubject,
      JSON.stringify(letter),
      `dead-letter:${info.stream}:${info.streamSequence}`,
    );
  }
}
