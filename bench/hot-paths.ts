/**
 * The two per-request hot paths against the database's own ceiling, in the same run: the server's
 * single-row INSERT-per-transaction rate at `clients` connections (plain `pg`, measured before and after
 * the service figures, their mean), the tracking redirect (GET /r/:partnerRef/:linkCode, redirects not
 * followed) and single-envelope POST /v1/events, each at `clients` concurrent connections for a fixed time.
 */
import { Agent, request } from 'node:http';
import { Client } from 'pg';
import type { BenchServer } from './database';
import type { Log } from './scenario';
import { type LatencySummary, perSecond, round, since, summarize } from './stats';
import { type WorkloadShape, linkId, partnerSpecs } from './workload';

export interface InsertCeiling {
  readonly insertsPerSecond: number;
  /** Each measurement (before and after the service figures). */
  readonly runs: number[];
}

export interface HotPathRate {
  readonly requests: number;
  readonly ms: number;
  readonly perSecond: number;
  readonly latency: LatencySummary;
  /** Answers by HTTP status (redirect) or by ingest result status (single event). */
  readonly answers: Record<string, number>;
}

export interface HotPaths {
  readonly clients: number;
  readonly secondsEach: number;
  readonly insertCeiling: InsertCeiling;
  readonly redirect: HotPathRate;
  readonly singleEvent: HotPathRate;
}

export interface HotPathOptions {
  readonly server: BenchServer;
  readonly baseUrl: string;
  readonly adminKey: string;
  readonly shape: WorkloadShape;
  readonly clients: number;
  readonly durationMs: number;
  readonly log: Log;
}

export async function measureHotPaths(options: HotPathOptions): Promise<HotPaths> {
  const { log, clients, durationMs } = options;
  const ceilingUrl = await options.server.createDatabase('insert_ceiling');
  const first = await insertCeiling(ceilingUrl, clients, durationMs);
  log(`  single-row INSERT per transaction at ${clients} clients: ${first} inserts/s`);
  const redirect = await redirects(options);
  log(
    `  redirect: ${redirect.perSecond} clicks/s, p50 ${redirect.latency.p50Ms} ms, p99 ${redirect.latency.p99Ms} ms (${JSON.stringify(redirect.answers)})`,
  );
  const singleEvent = await singleEvents(options);
  log(
    `  single-event POST /v1/events: ${singleEvent.perSecond} requests/s, p50 ${singleEvent.latency.p50Ms} ms, p99 ${singleEvent.latency.p99Ms} ms (${JSON.stringify(singleEvent.answers)})`,
  );
  const second = await insertCeiling(ceilingUrl, clients, durationMs);
  log(`  single-row INSERT per transaction again: ${second} inserts/s`);
  return {
    clients,
    secondsEach: durationMs / 1000,
    insertCeiling: { insertsPerSecond: round((first + second) / 2), runs: [first, second] },
    redirect,
    singleEvent,
  };
}

/** `clients` connections, each committing one single-row INSERT after the other (autocommit). */
async function insertCeiling(url: string, clients: number, durationMs: number): Promise<number> {
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  try {
    await connections[0]!.query(
      'CREATE TABLE IF NOT EXISTS hits (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)',
    );
    let inserts = 0;
    const started = performance.now();
    await Promise.all(
      connections.map(async (client, index) => {
        while (since(started) < durationMs) {
          await client.query('INSERT INTO hits (payload) VALUES ($1)', [`client-${index}-${inserts}`]);
          inserts++;
        }
      }),
    );
    return perSecond(inserts, since(started));
  } finally {
    await Promise.all(connections.map((client) => client.end()));
  }
}

interface Answered {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** A plain keep-alive HTTP client: lighter than fetch, so the bench takes less of the shared CPU. */
function send(
  agent: Agent,
  url: URL,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body?: string,
): Promise<Answered> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = request(url, { agent, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        }),
      );
      res.on('error', fail);
    });
    req.on('error', fail);
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
    req.end(body);
  });
}

/** `clients` workers, each sending the next request as soon as the last one is answered, for durationMs. */
async function closedLoop(
  clients: number,
  durationMs: number,
  next: (n: number) => Promise<{ answer: string; ms: number }>,
): Promise<HotPathRate> {
  const latencies: number[] = [];
  const answers: Record<string, number> = {};
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (since(started) < durationMs) {
        const { answer, ms } = await next(sent++);
        latencies.push(ms);
        answers[answer] = (answers[answer] ?? 0) + 1;
      }
    }),
  );
  const ms = since(started);
  return {
    requests: latencies.length,
    ms: round(ms),
    perSecond: perSecond(latencies.length, ms),
    latency: summarize(latencies),
    answers,
  };
}

/** New visitors (no cookie), spread over every partner and link. */
async function redirects(options: HotPathOptions): Promise<HotPathRate> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const partners = partnerSpecs(options.shape);
  try {
    return await closedLoop(options.clients, options.durationMs, async (n) => {
      const partner = partners[n % partners.length]!;
      const link = `L${String((n % options.shape.links) + 1).padStart(2, '0')}`;
      const url = new URL(`/r/${partner.code}/${link}`, options.baseUrl);
      const { status, ms } = await send(agent, url, 'GET', { 'user-agent': 'Mozilla/5.0 (bench)' });
      return { answer: String(status), ms };
    });
  } finally {
    agent.destroy();
  }
}

/** One click per request, each with its own event id and visitor. */
async function singleEvents(options: HotPathOptions): Promise<HotPathRate> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const partners = partnerSpecs(options.shape);
  const url = new URL('/v1/events', options.baseUrl);
  const headers = { authorization: `Bearer ${options.adminKey}`, 'content-type': 'application/json' };
  const run = Date.now().toString(36);
  try {
    return await closedLoop(options.clients, options.durationMs, async (n) => {
      const envelope = {
        eventId: `hot-${run}-${n}`,
        type: 'LinkClicked',
        occurredAt: new Date().toISOString(),
        data: {
          partnerId: partners[n % partners.length]!.id,
          linkId: linkId(n % options.shape.links),
          visitorId: `hot-${run}-${n}`,
          userAgent: 'Mozilla/5.0 (bench)',
        },
      };
      const { status, body, ms } = await send(
        agent,
        url,
        'POST',
        headers,
        JSON.stringify({ events: [envelope] }),
      );
      if (status !== 200) return { answer: String(status), ms };
      const result = (JSON.parse(body) as { results: { status: string }[] }).results[0];
      return { answer: result?.status ?? 'no result', ms };
    });
  } finally {
    agent.destroy();
  }
}
