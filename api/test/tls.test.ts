import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresConfig, SslMode } from '../src/config/config.js';
import { createDatabase } from '../src/db/database.js';
import { DatabaseUnavailableError, waitForDatabase } from '../src/db/wait-for-database.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { DEFAULT_DATABASE_TIMEOUTS } from './support/test-database.js';

describe('PostgreSQL over TLS, per SSLMODE (a local server with its own CA, as RDS has)', () => {
  let server: PrivatePostgres;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  });
  afterAll(() => {
    server?.stop();
  });

  const config = (sslMode: SslMode, host = 'localhost', sslRootCert?: string): PostgresConfig => ({
    dialect: 'postgres',
    host,
    port: server.port,
    database: 'postgres',
    user: 'postgres',
    password: undefined,
    sslMode,
    sslRootCert,
    poolMax: 1,
    ...DEFAULT_DATABASE_TIMEOUTS,
  });

  /** Connects and asks the server whether this very connection is encrypted. */
  async function connectionIsEncrypted(settings: PostgresConfig, retries: string[] = []): Promise<boolean> {
    const database = createDatabase(settings);
    try {
      await waitForDatabase(database, settings, { timeoutSeconds: 5, onRetry: (message) => retries.push(message) });
      const { rows } = await sql<{ ssl: boolean }>`select ssl from pg_stat_ssl where pid = pg_backend_pid()`.execute(database.db);
      return rows[0]?.ssl ?? false;
    } finally {
      await database.close();
    }
  }

  it('disable connects in plain text', async () => {
    expect(await connectionIsEncrypted(config('disable'))).toBe(false);
  });

  it('require encrypts without checking the certificate (node-postgres alone would refuse it)', async () => {
    expect(await connectionIsEncrypted(config('require', '127.0.0.1'))).toBe(true);
  });

  it('verify-full connects when the CA bundle signed the certificate and the host name matches', async () => {
    expect(await connectionIsEncrypted(config('verify-full', 'localhost', server.caFile))).toBe(true);
  });

  it('verify-full refuses a certificate that is not for the host connected to', async () => {
    await expect(connectionIsEncrypted(config('verify-full', '127.0.0.1', server.caFile))).rejects.toThrow(
      /Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/postgres as user postgres \(sslmode=verify-full\): .*(IP: 127\.0\.0\.1 is not in the cert's list|altnames)/,
    );
  });

  it('verify-full refuses a certificate signed by another CA, at once and without retrying', async () => {
    const retries: string[] = [];
    const attempt = connectionIsEncrypted(config('verify-full', 'localhost', server.otherCaFile), retries);
    await expect(attempt).rejects.toThrow(DatabaseUnavailableError);
    await expect(attempt).rejects.toThrow(/sslmode=verify-full\): .*(self[- ]signed|unable to verify|unable to get local issuer)/i);
    expect(retries).toEqual([]);
  });

  it('verify-ca checks the chain but not the host name', async () => {
    expect(await connectionIsEncrypted(config('verify-ca', '127.0.0.1', server.caFile))).toBe(true);
    await expect(connectionIsEncrypted(config('verify-ca', '127.0.0.1', server.otherCaFile))).rejects.toThrow(DatabaseUnavailableError);
  });
});
