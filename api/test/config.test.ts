import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig, type PostgresConfig } from '../src/config/config.js';
import { sslOptions } from '../src/db/database.js';

const postgres = (env: NodeJS.ProcessEnv) => loadConfig(env, '/srv/api').database as PostgresConfig;

describe('configuration from the environment', () => {
  it('with nothing set, serves on 0.0.0.0:8000 from db.sqlite3 in the working directory, migrating and seeding', () => {
    expect(loadConfig({}, '/srv/api')).toEqual({
      host: '0.0.0.0',
      port: 8000,
      corsOrigins: '*',
      instanceId: 'unknown',
      logLevel: 'info',
      database: { dialect: 'sqlite', path: '/srv/api/db.sqlite3' },
      databaseWaitSeconds: 30,
      migrateOnStart: true,
      seed: 'sample',
      tokenCacheMs: 5_000,
      authRateLimit: 300,
      registerRateLimit: 60,
      loginFailureLimit: 10,
      loginFailureWindowMinutes: 15,
      trustProxy: false,
      http: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000, maxRequestsPerSocket: 1000, maxConnections: 1024 },
      passwordHashing: { concurrency: Math.max(1, availableParallelism() - 1), maxWaiting: 32 },
      shutdownDrainMs: 3_000,
      shutdownDeregistrationMs: 0,
      apiDocs: true,
      photos: { store: { kind: 'local', dir: '/srv/api/photos' }, jobLeaseMs: 120_000 },
    });
  });

  it('photos go beside the SQLite file by default (/app/data/photos in the image), or to PHOTOS_DIR', () => {
    expect(loadConfig({ SQLITE_PATH: '/app/data/db.sqlite3' }, '/app/api').photos.store).toEqual({ kind: 'local', dir: '/app/data/photos' });
    expect(loadConfig({ PHOTOS_DIR: 'pictures' }, '/srv/api').photos.store).toEqual({ kind: 'local', dir: '/srv/api/pictures' });
  });

  it('S3_BUCKET switches photos to S3, with an optional S3-compatible endpoint and public URL', () => {
    expect(loadConfig({ S3_BUCKET: 'rock-photos', PHOTOS_PUBLIC_URL: 'https://d111111abcdef8.cloudfront.net' }).photos.store).toEqual({
      kind: 's3',
      bucket: 'rock-photos',
      endpoint: undefined,
      publicUrl: 'https://d111111abcdef8.cloudfront.net',
    });
    expect(loadConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:4568' }).photos.store).toMatchObject({ endpoint: 'http://127.0.0.1:4568' });
  });

  it('refuses a PHOTOS_PUBLIC_URL without S3_BUCKET, and URLs that are none', () => {
    expect(() => loadConfig({ PHOTOS_PUBLIC_URL: 'https://d111111abcdef8.cloudfront.net' })).toThrow(/PHOTOS_PUBLIC_URL is for the S3 store/);
    expect(() => loadConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT must be a URL/);
  });

  it('the login and registration limits take whole numbers, 0 turning one off; the window is at least a minute', () => {
    const limits = loadConfig({ AUTH_RATE_LIMIT: '0', REGISTER_RATE_LIMIT: '0', LOGIN_FAILURE_LIMIT: '0', LOGIN_FAILURE_WINDOW_MINUTES: '60' });
    expect(limits).toMatchObject({ authRateLimit: 0, registerRateLimit: 0, loginFailureLimit: 0, loginFailureWindowMinutes: 60 });
    expect(() => loadConfig({ AUTH_RATE_LIMIT: '-1', REGISTER_RATE_LIMIT: 'many', LOGIN_FAILURE_LIMIT: '2.5', LOGIN_FAILURE_WINDOW_MINUTES: '0' })).toThrow(
      /AUTH_RATE_LIMIT: .*; REGISTER_RATE_LIMIT: .*; LOGIN_FAILURE_LIMIT: .*; LOGIN_FAILURE_WINDOW_MINUTES: /,
    );
  });

  it('TOKEN_CACHE_SECONDS is 0 (every request looks its token up) to 60, fractions allowed', () => {
    expect([loadConfig({ TOKEN_CACHE_SECONDS: '0' }).tokenCacheMs, loadConfig({ TOKEN_CACHE_SECONDS: '0.5' }).tokenCacheMs]).toEqual([0, 500]);
    expect(() => loadConfig({ TOKEN_CACHE_SECONDS: '61' })).toThrow(/TOKEN_CACHE_SECONDS: /);
    expect(() => loadConfig({ TOKEN_CACHE_SECONDS: '-1' })).toThrow(/TOKEN_CACHE_SECONDS: /);
  });

  it('DB_HOST switches to PostgreSQL with the workshop defaults', () => {
    expect(postgres({ DB_HOST: 'localhost', DB_PASSWORD: 'pw' })).toEqual({
      dialect: 'postgres',
      host: 'localhost',
      port: 5432,
      database: 'rockofages',
      user: 'rockadmin',
      password: 'pw',
      sslMode: 'disable',
      sslRootCert: undefined,
      poolMax: 10,
      connectTimeoutMs: 5_000,
      queryTimeoutMs: 10_000,
    });
  });

  it('a remote host defaults to an encrypted connection; SSLMODE overrides', () => {
    expect(postgres({ DB_HOST: 'rock-of-ages-db.abc.us-east-2.rds.amazonaws.com' }).sslMode).toBe('require');
    expect(postgres({ DB_HOST: 'postgres-db', SSLMODE: 'disable' }).sslMode).toBe('disable');
  });

  it('DATABASE_URL gives every connection setting, sslmode included', () => {
    const config = postgres({ DATABASE_URL: 'postgresql://app%40x:p%3Ass@db.example.com:6543/rocks?sslmode=verify-full&sslrootcert=/certs/rds.pem' });
    expect(config).toMatchObject({ host: 'db.example.com', port: 6543, database: 'rocks', user: 'app@x', password: 'p:ss', sslMode: 'verify-full', sslRootCert: '/certs/rds.pem' });
  });

  it('empty variables count as unset, as in a compose file with blank defaults', () => {
    expect(loadConfig({ DB_HOST: '', DATABASE_URL: '  ' }, '/srv/api').database.dialect).toBe('sqlite');
  });

  it('lists every invalid value at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', SSLMODE: 'prefer', MIGRATE_ON_START: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', SSLMODE: 'prefer', MIGRATE_ON_START: 'maybe' })).toThrow(/PORT: .*; SSLMODE: .*; MIGRATE_ON_START: /);
  });

  it('refuses a DATABASE_URL that is not a postgres URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/rocks' })).toThrow('DATABASE_URL must start with postgres:// or postgresql://');
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL is not a valid URL/);
  });

  it('CORS_ORIGINS narrows the allowed origins to a list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'http://localhost:3000, https://d1.cloudfront.net' }).corsOrigins).toEqual(['http://localhost:3000', 'https://d1.cloudfront.net']);
  });

  it('TRUST_PROXY is true, false, or a list of proxy addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });

  it('timeouts are in seconds, fractions allowed; HTTP limits and the drain can be set, a connection or request cap of 0 is none', () => {
    const config = loadConfig({
      DB_HOST: 'db.example.com',
      DB_CONNECT_TIMEOUT_SECONDS: '1.5',
      DB_QUERY_TIMEOUT_SECONDS: '2',
      HTTP_REQUEST_TIMEOUT_SECONDS: '12',
      HTTP_HEADERS_TIMEOUT_SECONDS: '4',
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '65',
      HTTP_MAX_REQUESTS_PER_SOCKET: '0',
      HTTP_MAX_CONNECTIONS: '0',
      SHUTDOWN_DRAIN_SECONDS: '0',
    });
    expect(config.database).toMatchObject({ connectTimeoutMs: 1_500, queryTimeoutMs: 2_000 });
    expect(config.http).toEqual({ requestTimeoutMs: 12_000, headersTimeoutMs: 4_000, keepAliveTimeoutMs: 65_000, maxRequestsPerSocket: 0, maxConnections: 0 });
    expect(config.shutdownDrainMs).toBe(0);
  });

  it('refuses a headers timeout longer than the request timeout, and timeouts of 0 where none would be unsafe', () => {
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_SECONDS: '5', HTTP_HEADERS_TIMEOUT_SECONDS: '10' })).toThrow(
      'HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS',
    );
    expect(() => loadConfig({ DB_QUERY_TIMEOUT_SECONDS: '0', HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '0' })).toThrow(
      /DB_QUERY_TIMEOUT_SECONDS: .*; HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: /,
    );
  });

  it('describes the database without its password', () => {
    const config = postgres({ DB_HOST: 'db.example.com', DB_USER: 'rockadmin', DB_PASSWORD: 'hunter2-secret' });
    expect(describeDatabase(config)).toBe('PostgreSQL at db.example.com:5432/rockofages as user rockadmin (sslmode=require)');
  });
});

describe('sslmode to TLS options', () => {
  const base = postgres({ DB_HOST: 'db.example.com' });

  it('disable is plain, require encrypts without checking the certificate', () => {
    expect(sslOptions({ ...base, sslMode: 'disable' })).toBe(false);
    expect(sslOptions({ ...base, sslMode: 'require' })).toEqual({ rejectUnauthorized: false });
  });

  it('verify-full checks chain and host against the CA bundle file; verify-ca skips the host', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rock-ca-'));
    const bundle = path.join(dir, 'global-bundle.pem');
    writeFileSync(bundle, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const full = sslOptions({ ...base, sslMode: 'verify-full', sslRootCert: bundle });
    const ca = sslOptions({ ...base, sslMode: 'verify-ca', sslRootCert: bundle });
    expect(full).toEqual({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(ca).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(ca && ca.checkServerIdentity?.('other.example.com', {} as never)).toBeUndefined();
  });

  it('a CA bundle that cannot be read is a configuration error naming the variable', () => {
    expect(() => sslOptions({ ...base, sslMode: 'verify-full', sslRootCert: '/nonexistent/rds.pem' })).toThrow(/DB_SSLROOTCERT cannot be read/);
  });
});
