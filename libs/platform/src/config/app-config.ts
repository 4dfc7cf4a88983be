/** Reads the service's configuration from the environment once, at start, and refuses bad values. */

export interface AppConfig {
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
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly bodyLimit: string;
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

export function loadConfig(env: Env = process.env): AppConfig {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const publicBaseUrl = url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const bodyLimit = env['BODY_LIMIT']?.trim() || '2mb';
  if (!/^\d+(kb|mb)$/.test(bodyLimit))
    throw new ConfigError('BODY_LIMIT', `must look like 512kb or 2mb, got "${bodyLimit}"`);
  const host = env['HOST']?.trim() || '0.0.0.0';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host))
    throw new ConfigError('HOST', `must be a host name or an IP address, got "${host}"`);
  return {
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
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    bodyLimit,
  };
}
