/** Reads the service's configuration from the environment once, at start, and refuses bad values. */

/** What a process runs: HTTP only, the background work only, or both (one process does everything). */
export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

/** Ingest from a NATS JetStream stream (worker and all roles); null when NATS_URL is unset. */
export interface NatsConfig {
  readonly url: string;
  readonly stream: string;
  readonly subject: string;
  readonly consumer: string;
  readonly deadLetterSubject: string;
  /** Messages fetched and ingested together, in one transaction. */
  readonly batchSize: number;
  /** Seconds JetStream waits for an ack before it delivers a message again. */
  readonly ackWaitSeconds: number;
}

export interface AppConfig {
  readonly role: Role;
  readonly port: number;
  /** The address to listen on (HOST); 0.0.0.0 = every IPv4 interface. */
  readonly host: string;
  /** null = start the embedded PostgreSQL. */
  readonly databaseUrl: string | null;
  readonly embeddedDatabaseDir: string;
  readonly embeddedDatabasePort: number;
  readonly publicBaseUrl: string;
  readonly trustProxy: boolean;
  readonly adminApiKey: string | null;
  readonly partnerTokenSecret: string | null;
  readonly databasePoolSize: number;
  /** Events read from the log per page while a projection rebuilds (each page in short transactions). */
  readonly projectionRebuildBatchSize: number;
  /** How long a caught-up projection waits after a wake-up before reading (PROJECTION_SETTLE_MS). */
  readonly projectionSettleMs: number;
  /** How many projections apply a rebuild page at the same moment (REBUILDS_AT_ONCE). */
  readonly rebuildsAtOnce: number;
  /**
   * How long one projection transaction may take, about (ms): the runner, a rebuild and verify's
   * replay apply each page in chunks sized from the measured cost per event to take a quarter of it.
   */
  readonly projectionTransactionMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly bodyLimit: string;
  /** The built Partner Center web app; null = dist/partner-center of this checkout. */
  readonly partnerCenterDir: string | null;
  readonly nats: NatsConfig | null;
  readonly notifications: NotificationConfig;
  readonly groupCommit: GroupCommitConfig;
}

/** Partner emails and webhooks (README, Notifications and webhooks). */
/** Concurrent redirect clicks and single-envelope requests share one ingest transaction. */
export interface GroupCommitConfig {
  /** How long the first caller of a group waits for others; 0: only callers of the same tick. */
  readonly windowMs: number;
  /** A group is committed at once when it holds this many envelopes. */
  readonly maxEnvelopes: number;
}

export interface NotificationConfig {
  /** null = no mail transport: emails stay in the outbox, marked unsent-no-transport. */
  readonly smtpUrl: string | null;
  readonly smtpFrom: string;
  /** Lets webhooks go to private, loopback and link-local addresses (tests, on-premises receivers). */
  readonly webhookAllowPrivate: boolean;
  readonly webhookTimeoutMs: number;
  /** An endpoint failing without a single success for this long is disabled. */
  readonly webhookDisableAfterMs: number;
  /** Retries: exponential from the base delay (with jitter), capped, for the retry window, then failed. */
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly retryWindowMs: number;
  /** How often the dispatchers look for due messages when nothing wakes them. */
  readonly dispatchPollMs: number;
  /**
   * How long a claimed email or webhook belongs to the process sending it; after a crash, another
   * process sends it again once this has passed. Longer than any attempt may take.
   */
  readonly dispatchLeaseMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string, protocols: readonly string[]): string | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  }
  return raw;
}

function email(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  // "Name <address>" or a bare address; nodemailer parses both.
  if (!/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(raw))
    throw new ConfigError(name, `must be an email address or "Name <address>", got "${raw}"`);
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const found = values.find((v) => v === raw);
  if (!found) throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  return found;
}

function secret(env: Env, name: string, minLength: number): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (raw.length < minLength) throw new ConfigError(name, `must be at least ${minLength} characters long`);
  return raw;
}

/** Stream, consumer and subject names: what JetStream accepts in them (no spaces, dots only in subjects). */
function natsName(env: Env, name: string, fallback: string, pattern: RegExp, what: string): string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!pattern.test(raw)) throw new ConfigError(name, `must be ${what}, got "${raw}"`);
  return raw;
}

const NATS_NAME = /^[A-Za-z0-9_-]{1,200}$/;
const NATS_SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function natsConfig(env: Env): NatsConfig | null {
  const url = (() => {
    const raw = env['NATS_URL']?.trim();
    if (raw === undefined || raw === '') return null;
    // nats://host:port, tls://host:port or a comma-separated list of them.
    for (const server of raw.split(',')) {
      if (!/^(nats|tls):\/\/[^\s/]+$/.test(server.trim()))
        throw new ConfigError(
          'NATS_URL',
          `must be nats://host:port (or a comma-separated list), got "${raw}"`,
        );
    }
    return raw;
  })();
  if (url === null) return null;
  const subjectRule = 'a subject such as referral.events (letters, digits, _ and - between dots)';
  const subject = natsName(env, 'NATS_SUBJECT', 'referral.events', NATS_SUBJECT, subjectRule);
  const deadLetterSubject = natsName(
    env,
    'NATS_DEAD_LETTER_SUBJECT',
    `${subject}.dead-letter`,
    NATS_SUBJECT,
    subjectRule,
  );
  if (deadLetterSubject === subject)
    throw new ConfigError('NATS_DEAD_LETTER_SUBJECT', 'must differ from NATS_SUBJECT');
  const nameRule = 'letters, digits, _ and - only';
  return {
    url,
    stream: natsName(env, 'NATS_STREAM', 'REFERRAL_EVENTS', NATS_NAME, nameRule),
    subject,
    consumer: natsName(env, 'NATS_CONSUMER', 'referral-ledger', NATS_NAME, nameRule),
    deadLetterSubject,
    batchSize: integer(env, 'NATS_BATCH_SIZE', 250, 1, 1000),
    ackWaitSeconds: integer(env, 'NATS_ACK_WAIT', 30, 1, 3600),
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const publicBaseUrl = url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const bodyLimit = env['BODY_LIMIT']?.trim() || '2mb';
  if (!/^\d+(kb|mb)$/.test(bodyLimit))
    throw new ConfigError('BODY_LIMIT', `must look like 512kb or 2mb, got "${bodyLimit}"`);
  const host = env['HOST']?.trim() || '0.0.0.0';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host))
    throw new ConfigError('HOST', `must be a host name or an IP address, got "${host}"`);
  const config: AppConfig = {
    role: oneOf(env, 'ROLE', ROLES, 'all'),
    port,
    host,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    embeddedDatabaseDir: env['EMBEDDED_PG_DIR']?.trim() || '.data/postgres',
    embeddedDatabasePort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    adminApiKey: secret(env, 'ADMIN_API_KEY', 16),
    partnerTokenSecret: secret(env, 'PARTNER_TOKEN_SECRET', 32),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 2, 200),
    projectionRebuildBatchSize: integer(env, 'REBUILD_BATCH_SIZE', 2500, 1, 100_000),
    projectionSettleMs: integer(env, 'PROJECTION_SETTLE_MS', 100, 0, 5000),
    rebuildsAtOnce: integer(env, 'REBUILDS_AT_ONCE', 2, 1, 64),
    projectionTransactionMs: integer(env, 'PROJECTION_TRANSACTION_MS', 1000, 1, 60_000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    bodyLimit,
    partnerCenterDir: env['PARTNER_CENTER_DIR']?.trim() || null,
    nats: natsConfig(env),
    notifications: {
      smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
      smtpFrom: email(env, 'SMTP_FROM', `Referral partners <no-reply@${new URL(publicBaseUrl).hostname}>`),
      webhookAllowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
      webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      webhookDisableAfterMs: integer(env, 'WEBHOOK_DISABLE_AFTER_MS', 5 * DAY_MS, 1_000, 365 * DAY_MS),
      retryBaseDelayMs: integer(env, 'DELIVERY_RETRY_BASE_MS', 10_000, 1, DAY_MS),
      retryMaxDelayMs: integer(env, 'DELIVERY_RETRY_MAX_DELAY_MS', 60 * 60_000, 1, DAY_MS),
      retryWindowMs: integer(env, 'DELIVERY_RETRY_FOR_MS', DAY_MS, 1, 30 * DAY_MS),
      dispatchPollMs: integer(env, 'DISPATCH_POLL_MS', 500, 10, 60_000),
      dispatchLeaseMs: integer(env, 'DISPATCH_LEASE_MS', 60_000, 1_000, DAY_MS),
    },
    groupCommit: {
      windowMs: integer(env, 'GROUP_COMMIT_WINDOW_MS', 2, 0, 50),
      maxEnvelopes: integer(env, 'GROUP_COMMIT_MAX_ENVELOPES', 64, 1, 1000),
    },
  };
  if (config.notifications.dispatchLeaseMs < config.notifications.webhookTimeoutMs + 1_000)
    throw new ConfigError('DISPATCH_LEASE_MS', 'must be at least WEBHOOK_TIMEOUT_MS + 1000');
  return config;
}

const DAY_MS = 24 * 60 * 60_000;
