import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDriver from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runApi, TEST_DATABASE_URL } from '@rock-of-ages/test-kit';
import { createDatabase } from '../src/db/database.js';
import { MIGRATION_NAMES } from '../src/db/migrate.js';
import { setUpDatabase } from '../src/db/setup.js';
import { KNOWN_ERRORS, TROUBLESHOOTING_PAGE } from '../src/doctor/known-errors.js';
import { runDoctor } from '../src/doctor/run-doctor.js';
import type { DoctorReport, StepResult } from '../src/doctor/step-result.js';
import { startBlackHolePort, type BlackHolePort } from './support/black-hole-port.js';
import { createDjangoSqlite } from './support/django-sqlite.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresConfig } from './support/test-database.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rock-doctor-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const doctor = (env: Record<string, string>, timeoutMs = 3_000) => runDoctor({ env, cwd: dir, timeoutMs });
const statuses = (report: DoctorReport) => Object.fromEntries(report.steps.map((result) => [result.step, result.status]));
const stepOf = (report: DoctorReport, name: StepResult['step']) => report.steps.find((result) => result.step === name)!;

/** The shared server: trust authentication, TLS off. */
function sharedEnv(database: string): Record<string, string> {
  const url = new URL(TEST_DATABASE_URL);
  return {
    DB_HOST: url.hostname,
    DB_PORT: url.port || '5432',
    DB_USER: decodeURIComponent(url.username) || 'postgres',
    ...(url.password === '' ? {} : { DB_PASSWORD: decodeURIComponent(url.password) }),
    DB_NAME: database,
  };
}

describe('doctor on PostgreSQL', { timeout: 60_000 }, () => {
  let migrated: string;
  let empty: string;
  beforeAll(async () => {
    migrated = await createPostgresDatabase();
    empty = await createPostgresDatabase();
    const handle = createDatabase(postgresConfig(migrated));
    await setUpDatabase(handle, { migrate: true, seed: true }, () => {});
    await handle.close();
  });
  afterAll(async () => {
    await dropPostgresDatabase(migrated);
    await dropPostgresDatabase(empty);
  });

  it('a migrated and seeded database passes every step (TLS not used on this local server)', async () => {
    const report = await doctor(sharedEnv(migrated));
    expect(statuses(report)).toEqual({ configuration: 'ok', DNS: 'ok', TCP: 'ok', TLS: 'skip', authentication: 'ok', database: 'ok', schema: 'ok', data: 'ok' });
    expect(report.ok).toBe(true);
    expect(stepOf(report, 'configuration').summary).toContain('sslmode=disable, the default, because DB_HOST is local');
    expect(stepOf(report, 'database').summary).toMatch(new RegExp(`^${migrated} exists; PostgreSQL 1\\d\\.`));
    expect(stepOf(report, 'schema').summary).toBe(`${MIGRATION_NAMES.length} of ${MIGRATION_NAMES.length} migrations applied; auth_user, authtoken_token, rockapi_type and rockapi_rock present`);
    expect(stepOf(report, 'data').summary).toBe('2 users, 2 tokens, 5 types, 3 rocks; the sample data is present');
  });

  it('an unmigrated database fails the schema step and says how to migrate', async () => {
    const report = await doctor(sharedEnv(empty));
    expect(statuses(report)).toMatchObject({ database: 'ok', schema: 'fail', data: 'skip' });
    expect(report.ok).toBe(false);
    expect(stepOf(report, 'schema').problem).toMatchObject({ cause: 'this database has not been migrated', see: `${TROUBLESHOOTING_PAGE}#relation-does-not-exist` });
    expect(stepOf(report, 'schema').problem?.fix).toContain('npm run db:migrate -w api');
  });

  it('a missing database: the password was accepted, the database step fails with the server\'s error and lists the databases there are', async () => {
    const report = await doctor(sharedEnv('no_such_rock_database'));
    expect(statuses(report)).toMatchObject({ authentication: 'ok', database: 'fail', schema: 'skip' });
    const database = stepOf(report, 'database');
    expect(database.problem?.error).toBe('database "no_such_rock_database" does not exist');
    expect(database.problem?.see).toBe(`${TROUBLESHOOTING_PAGE}#database-does-not-exist`);
    expect(database.details[0]).toMatch(/^databases on this server: .*\bpostgres\b/);
  });

  it('a host name that does not resolve fails at DNS; nothing after it is tried', async () => {
    const report = await doctor({ ...sharedEnv(migrated), DB_HOST: 'no-such-rock-host.invalid' });
    expect(statuses(report)).toMatchObject({ DNS: 'fail', TCP: 'skip', TLS: 'skip', authentication: 'skip', database: 'skip', schema: 'skip', data: 'skip' });
    expect(stepOf(report, 'DNS').problem?.error).toContain('ENOTFOUND no-such-rock-host.invalid');
    expect(stepOf(report, 'DNS').problem?.see).toBe(`${TROUBLESHOOTING_PAGE}#getaddrinfo-enotfound`);
    expect(stepOf(report, 'TCP').summary).toBe('not checked: DNS failed');
  });

  it('a closed port fails at TCP with "connection refused": nothing listens there', async () => {
    const port = await freePort();
    const report = await doctor({ ...sharedEnv(migrated), DB_PORT: String(port) });
    expect(statuses(report)).toMatchObject({ DNS: 'ok', TCP: 'fail', TLS: 'skip' });
    expect(stepOf(report, 'TCP').problem).toMatchObject({ error: `connect ECONNREFUSED 127.0.0.1:${port}`, see: `${TROUBLESHOOTING_PAGE}#connect-econnrefused` });
  });

  describe('a black-holed port (SYNs dropped, as by a security group)', () => {
    let hole: BlackHolePort;
    beforeAll(async () => {
      hole = await startBlackHolePort();
    });
    afterAll(() => hole?.close());

    it('fails at TCP after the time limit, naming the security group and public access', async () => {
      const report = await doctor({ ...sharedEnv(migrated), DB_PORT: String(hole.port) }, 1_000);
      const tcp = stepOf(report, 'TCP');
      expect([tcp.status, tcp.summary]).toEqual(['fail', `127.0.0.1:${hole.port} did not answer within 1 s`]);
      expect(tcp.problem?.cause).toContain('almost always a firewall rule (for RDS: the security group)');
      expect(tcp.problem?.see).toBe(`${TROUBLESHOOTING_PAGE}#connect-etimedout`);
    });
  });

  describe('a port where something accepts connections but never speaks', () => {
    let silent: Server;
    let port: number;
    beforeAll(async () => {
      silent = createServer(() => {});
      port = await freePort();
      await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    });
    afterAll(() => {
      silent.close();
    });

    it('passes TCP and fails at TLS after the time limit', async () => {
      const report = await doctor({ ...sharedEnv(migrated), DB_PORT: String(port), SSLMODE: 'require' }, 1_000);
      expect(statuses(report)).toMatchObject({ TCP: 'ok', TLS: 'fail', authentication: 'skip' });
      expect(stepOf(report, 'TLS').problem).toMatchObject({ error: 'timeout expired: no answer to the TLS request within 1 s', see: `${TROUBLESHOOTING_PAGE}#timeout-expired` });
    });
  });

  it('SSLMODE=require against a server without TLS fails at TLS', async () => {
    const report = await doctor({ ...sharedEnv(migrated), SSLMODE: 'require' });
    expect(statuses(report)).toMatchObject({ TCP: 'ok', TLS: 'fail', authentication: 'skip' });
    expect(stepOf(report, 'TLS').problem?.see).toBe(`${TROUBLESHOOTING_PAGE}#the-server-does-not-support-ssl-connections`);
  });

  it('an invalid variable fails the configuration step; nothing is tried', async () => {
    const report = await doctor({ ...sharedEnv(migrated), DB_PORT: 'abc', DB_PASSWORD: 'never-shown-71c2' });
    expect(report.steps.map((result) => result.status)).toEqual(['fail', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip']);
    expect(stepOf(report, 'configuration').problem?.error).toContain('DB_PORT');
    expect(JSON.stringify(report)).not.toContain('never-shown-71c2');
  });
});

describe('doctor on a PostgreSQL that checks passwords and has TLS with its own CA', { timeout: 60_000 }, () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  });
  afterAll(() => server?.stop());

  const env = (overrides: Record<string, string>) => ({
    DB_HOST: 'localhost',
    DB_PORT: String(server.port),
    DB_NAME: 'rockofages',
    DB_USER: server.passwordRole.user,
    DB_PASSWORD: server.passwordRole.password,
    ...overrides,
  });

  it('verify-full with the right CA: chain and host name verified, logged in over TLS; the two-day test certificate is flagged', async () => {
    const report = await doctor(env({ SSLMODE: 'verify-full', DB_SSLROOTCERT: server.caFile }));
    expect(statuses(report)).toMatchObject({ configuration: 'ok', DNS: 'ok', TCP: 'ok', TLS: 'warn', authentication: 'ok', database: 'ok' });
    const tls = stepOf(report, 'TLS');
    expect(tls.summary).toMatch(/^TLSv1\.[23], certificate CN=localhost issued by CN=Rock Test CA; chain and host name verified \(sslmode=verify-full\)$/);
    expect(tls.details).toEqual([
      expect.stringMatching(/^certificate: CN=localhost, issued by CN=Rock Test CA, valid until \d{4}-\d{2}-\d{2} \(1 day\)$/),
      `chain: verified against ${server.caFile}`,
      'host name: the certificate names localhost',
      'warning: the certificate expires in 1 day',
    ]);
    expect(stepOf(report, 'authentication').summary).toMatch(/^logged in as rockadmin; connection encrypted \(TLSv1\.[23]\)$/);
  });

  it('verify-full with a CA that did not sign the certificate fails at TLS', async () => {
    const report = await doctor(env({ SSLMODE: 'verify-full', DB_SSLROOTCERT: server.otherCaFile }));
    expect(statuses(report)).toMatchObject({ TLS: 'fail', authentication: 'skip' });
    const tls = stepOf(report, 'TLS');
    expect(tls.problem?.error).toMatch(/unable to verify the first certificate|unable to get local issuer certificate|self-signed/);
    expect(tls.problem?.fix).toContain('DB_SSLROOTCERT');
  });

  it('verify-full to an address the certificate does not name fails at TLS; verify-ca accepts it', async () => {
    const full = await doctor(env({ DB_HOST: '127.0.0.1', SSLMODE: 'verify-full', DB_SSLROOTCERT: server.caFile }));
    expect(statuses(full)).toMatchObject({ TLS: 'fail' });
    expect(stepOf(full, 'TLS').problem).toMatchObject({
      error: expect.stringContaining("Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list"),
      see: `${TROUBLESHOOTING_PAGE}#hostname-does-not-match-altnames`,
    });

    const ca = await doctor(env({ DB_HOST: '127.0.0.1', SSLMODE: 'verify-ca', DB_SSLROOTCERT: server.caFile }));
    expect(statuses(ca)).toMatchObject({ TLS: 'warn', authentication: 'ok' });
  });

  it('require encrypts without judging the certificate, and says whether the chain would verify', async () => {
    const report = await doctor(env({ SSLMODE: 'require' }));
    expect(statuses(report)).toMatchObject({ TLS: 'warn', authentication: 'ok' });
    expect(stepOf(report, 'TLS').summary).toContain('encrypted, certificate not checked (sslmode=require)');
    expect(stepOf(report, 'TLS').details[1]).toMatch(/^chain: not verified against Node's built-in CAs: /);
  });

  it('a wrong password fails authentication with the server\'s exact words, and the password is never shown', async () => {
    const report = await doctor(env({ SSLMODE: 'require', DB_PASSWORD: 'wrong-password-3e9d' }));
    expect(statuses(report)).toMatchObject({ TLS: 'warn', authentication: 'fail', database: 'skip' });
    expect(stepOf(report, 'authentication').problem).toMatchObject({
      error: 'password authentication failed for user "rockadmin"',
      see: `${TROUBLESHOOTING_PAGE}#password-authentication-failed`,
    });
    expect(JSON.stringify(report)).not.toContain('wrong-password-3e9d');
  });

  it('no password at all: the server asks for one and the doctor says to set DB_PASSWORD', async () => {
    const report = await doctor({ ...env({ SSLMODE: 'require' }), DB_PASSWORD: '' });
    expect(stepOf(report, 'authentication').problem?.fix).toBe('set DB_PASSWORD (or put the password in DATABASE_URL)');
  });
});

describe('doctor on a PostgreSQL that refuses unencrypted connections, as RDS does', { timeout: 60_000 }, () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres({ tlsOnly: true });
  });
  afterAll(() => server?.stop());

  it('sslmode=disable fails authentication with "no pg_hba.conf entry … no encryption", and the fix is to require TLS', async () => {
    const report = await doctor({ DB_HOST: '127.0.0.1', DB_PORT: String(server.port), DB_USER: server.passwordRole.user, DB_PASSWORD: server.passwordRole.password, SSLMODE: 'disable' });
    expect(statuses(report)).toMatchObject({ TLS: 'skip', authentication: 'fail' });
    expect(stepOf(report, 'authentication').problem).toEqual({
      error: 'no pg_hba.conf entry for host "127.0.0.1", user "rockadmin", database "rockofages", no encryption',
      cause: 'the server accepts only encrypted connections and this one was not encrypted (sslmode=disable)',
      fix: 'RDS requires TLS: set SSLMODE=require or verify-full (with DB_SSLROOTCERT=global-bundle.pem)',
      see: `${TROUBLESHOOTING_PAGE}#no-pg-hba-conf-entry-no-encryption`,
    });
  });
});

describe('doctor on SQLite', { timeout: 60_000 }, () => {
  const sqliteEnv = (file: string) => ({ SQLITE_PATH: file });
  const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('a migrated and seeded file passes configuration, file, schema and data', async () => {
    const file = path.join(dir, 'healthy.sqlite3');
    const handle = createDatabase({ dialect: 'sqlite', path: file });
    await setUpDatabase(handle, { migrate: true, seed: true }, () => {});
    await handle.close();
    const report = await doctor(sqliteEnv(file));
    expect(statuses(report)).toEqual({ configuration: 'ok', file: 'ok', schema: 'ok', data: 'ok' });
    expect(stepOf(report, 'configuration').summary).toBe(`SQLite file ${file} (neither DB_HOST nor DATABASE_URL is set)`);
    expect(stepOf(report, 'data').summary).toBe('2 users, 2 tokens, 5 types, 3 rocks; the sample data is present');
  });

  it('a missing file fails the file step, and the doctor does not create it', async () => {
    const file = path.join(dir, 'missing', 'db.sqlite3');
    const report = await doctor(sqliteEnv(file));
    expect(statuses(report)).toEqual({ configuration: 'ok', file: 'fail', schema: 'skip', data: 'skip' });
    expect(stepOf(report, 'file').problem?.see).toBe(`${TROUBLESHOOTING_PAGE}#unable-to-open-database-file`);
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('a file that is not a database fails the file step with SQLite\'s words', async () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'DB_HOST=rock-of-ages-db.example\n'.repeat(200));
    const report = await doctor(sqliteEnv(file));
    expect(statuses(report)).toMatchObject({ file: 'fail', schema: 'skip' });
    expect(stepOf(report, 'file').problem).toMatchObject({ error: 'file is not a database', see: `${TROUBLESHOOTING_PAGE}#file-is-not-a-database` });
  });

  it('an empty database file fails the schema step', async () => {
    const file = path.join(dir, 'empty.sqlite3');
    new SqliteDriver(file).pragma('journal_mode = WAL');
    const report = await doctor(sqliteEnv(file));
    expect(statuses(report)).toMatchObject({ file: 'ok', schema: 'fail', data: 'skip' });
  });

  it('a file of the original Django app: the four tables are there, the migration is pending, its own tables are named; the file is left byte for byte', async () => {
    const file = path.join(dir, 'django.sqlite3');
    createDjangoSqlite(file, { users: [], tokens: [], types: [], rocks: [] });
    const before = digest(file);
    const report = await doctor(sqliteEnv(file));
    const schema = stepOf(report, 'schema');
    expect([schema.status, schema.summary]).toEqual(['fail', `the four tables are present, but ${MIGRATION_NAMES.length} migration(s) are pending (0 of ${MIGRATION_NAMES.length} migrations applied)`]);
    expect(schema.details).toContain('also here: 6 other tables (auth_group, auth_user_groups, django_admin_log, django_content_type, …), as a database of the original Django app has; they are left alone');
    expect(digest(file)).toBe(before);
  });
});

describe('the doctor command', { timeout: 60_000 }, () => {
  let database: string;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    const setup = runApi('cli', sharedEnv(database), ['setup']);
    expect(await setup.exited).toBe(0);
  });
  afterAll(async () => {
    await dropPostgresDatabase(database);
  });

  it('prints one line per step with ✓ and exits 0 on a healthy database; --json prints the same as one document', async () => {
    const text = runApi('cli', sharedEnv(database), ['doctor']);
    expect(await text.exited).toBe(0);
    expect(text.output()).toMatch(/^✓ data +2 users, 2 tokens, 5 types, 3 rocks; the sample data is present$/m);
    expect(text.output()).toContain('All checks passed.');

    const json = runApi('cli', sharedEnv(database), ['doctor', '--json']);
    expect(await json.exited).toBe(0);
    const report = JSON.parse(json.output()) as DoctorReport;
    expect([report.ok, report.steps.length, report.database]).toEqual([true, 8, `PostgreSQL at 127.0.0.1:${new URL(TEST_DATABASE_URL).port || 5432}/${database} as user postgres (sslmode=disable)`]);
  });

  it('exits 1 on a failed step and prints its cause, fix and link', async () => {
    const run = runApi('cli', { ...sharedEnv(database), DB_PORT: String(await freePort()) }, ['doctor', '--timeout', '2']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/^✗ TCP +cannot connect to 127\.0\.0\.1:\d+$/m);
    expect(run.output()).toContain('    see:   docs/troubleshooting.md#connect-econnrefused');
  });
});

describe('docs/troubleshooting.md', () => {
  const page = readFileSync(fileURLToPath(new URL(`../../${TROUBLESHOOTING_PAGE}`, import.meta.url)), 'utf8');
  const anchors = new Set([...page.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((match) => match[1]));

  it('has an entry for every error the doctor links to', () => {
    const linked = [...KNOWN_ERRORS.map((entry) => entry.anchor), 'relation-does-not-exist', 'unable-to-open-database-file', 'file-is-not-a-database'];
    expect(linked.filter((anchor) => !anchors.has(anchor))).toEqual([]);
  });

  it('covers at least twenty errors, each with its exact text, cause and fix', () => {
    const entries = page.split(/\n(?=<a id=")/).slice(1);
    expect(entries.length).toBeGreaterThanOrEqual(20);
    for (const entry of entries) expect(entry).toMatch(/^<a id="[a-z0-9-]+"><\/a>\n### `[^`]+`[\s\S]*\*\*Cause\.\*\*[\s\S]*\*\*Fix\.\*\*/);
  });
});
