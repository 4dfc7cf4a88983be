import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.trustProxy).toBe(false);
    expect(config.host).toBe('0.0.0.0');
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
    ['HOST', 'local host'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });
});
