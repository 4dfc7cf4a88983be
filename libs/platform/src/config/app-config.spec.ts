import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.trustProxy).toBe(false);
    expect(config.role).toBe('all');
    expect(config.nats).toBeNull();
  });

  it('reads the group-commit window and size, within their bounds', () => {
    expect(loadConfig({}).groupCommit).toEqual({ windowMs: 2, maxEnvelopes: 64 });
    expect(loadConfig({ GROUP_COMMIT_WINDOW_MS: '0', GROUP_COMMIT_MAX_ENVELOPES: '1' }).groupCommit).toEqual({
      windowMs: 0,
      maxEnvelopes: 1,
    });
    expect(() => loadConfig({ GROUP_COMMIT_WINDOW_MS: '51' })).toThrow(ConfigError);
    expect(() => loadConfig({ GROUP_COMMIT_MAX_ENVELOPES: '0' })).toThrow(ConfigError);
  });

  it('reads the role and the JetStream settings, with defaults for every NATS name', () => {
    expect(loadConfig({ ROLE: 'worker' }).role).toBe('worker');
    expect(loadConfig({ ROLE: 'api', NATS_URL: 'nats://127.0.0.1:4222' }).nats).toEqual({
      url: 'nats://127.0.0.1:4222',
      stream: 'REFERRAL_EVENTS',
      subject: 'referral.events',
      consumer: 'referral-ledger',
      deadLetterSubject: 'referral.events.dead-letter',
      batchSize: 250,
      ackWaitSeconds: 30,
    });
    expect(
      loadConfig({
        NATS_URL: 'nats://a:4222,nats://b:4222',
        NATS_STREAM: 'S1',
        NATS_SUBJECT: 'shop.commerce',
        NATS_CONSUMER: 'c-1',
        NATS_BATCH_SIZE: '10',
        NATS_ACK_WAIT: '5',
      }).nats,
    ).toMatchObject({
      subject: 'shop.commerce',
      deadLetterSubject: 'shop.commerce.dead-letter',
      batchSize: 10,
    });
  });

  it('reads the notification and webhook variables', () => {
    expect(loadConfig({}).notifications).toEqual({
      smtpUrl: null,
      smtpFrom: 'Referral partners <no-reply@localhost>',
      webhookAllowPrivate: false,
      webhookTimeoutMs: 10_000,
      webhookDisableAfterMs: 5 * 24 * 3600_000,
      retryBaseDelayMs: 10_000,
      retryMaxDelayMs: 3600_000,
      retryWindowMs: 24 * 3600_000,
      dispatchPollMs: 500,
      dispatchLeaseMs: 60_000,
    });
    expect(
      loadConfig({
        SMTP_URL: 'smtp://user:pass@mail.example.com:587',
        SMTP_FROM: 'Acme <partners@acme.example.com>',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        DELIVERY_RETRY_BASE_MS: '50',
      }).notifications,
    ).toMatchObject({
      smtpUrl: 'smtp://user:pass@mail.example.com:587',
      smtpFrom: 'Acme <partners@acme.example.com>',
      webhookAllowPrivate: true,
      retryBaseDelayMs: 50,
    });
  });

  it('listens on every address unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/x',
      PUBLIC_BASE_URL: 'https://go.example.com/',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u@db:5432/x',
      publicBaseUrl: 'https://go.example.com',
      trustProxy: true,
      logLevel: 'warn',
      host: '127.0.0.1',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['TRUST_PROXY', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_API_KEY', 'short'],
    ['BODY_LIMIT', 'lots'],
    ['ROLE', 'scheduler'],
    ['NATS_URL', 'http://127.0.0.1:4222'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['SMTP_FROM', 'not an address'],
    ['WEBHOOK_ALLOW_PRIVATE', 'perhaps'],
    ['DELIVERY_RETRY_BASE_MS', '0'],
    ['DISPATCH_LEASE_MS', '2000'],
    ['HOST', 'local host'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it.each([
    ['NATS_STREAM', 'has.dots'],
    ['NATS_SUBJECT', 'a b'],
    ['NATS_SUBJECT', 'wild.*'],
    ['NATS_CONSUMER', 'x/y'],
    ['NATS_BATCH_SIZE', '0'],
    ['NATS_ACK_WAIT', 'soon'],
    ['NATS_DEAD_LETTER_SUBJECT', 'referral.events'],
  ])('with NATS_URL set, refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ NATS_URL: 'nats://127.0.0.1:4222', [name]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${name} `),
    );
  });
});
