import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '@rock-of-ages/test-kit';

/**
 * A throw-away PostgreSQL server of the test's own, set up as RDS is where the shared one is not:
 * TLS on, with a certificate (for "localhost" only) signed by a CA made for the test, and a role
 * that must give its password. User `postgres` still connects without one.
 */
export interface PrivatePostgres {
  port: number;
  /** A role that authenticates with scram-sha-256 and owns database `rockofages`, as RDS's master user does. */
  passwordRole: { user: string; password: string };
  /** PEM bundle of the CA that signed the server certificate. */
  caFile: string;
  /** PEM of a CA that signed nothing here. */
  otherCaFile: string;
  stop: () => void;
}

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

function postgresBin(name: string): string {
  const dir = BIN_DIRS.find((candidate) => existsSync(path.join(candidate, name)));
  if (dir === undefined) throw new Error(`PostgreSQL server binaries (${name}) not found in ${BIN_DIRS.join(', ')}`);
  return path.join(dir, name);
}

function openssl(args: string[], cwd: string) {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function makeCertificates(dir: string) {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Rock Test CA', '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Other CA', '-keyout', 'other.key', '-out', 'other.crt'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt'], dir);
}

export interface PrivatePostgresOptions {
  /** Only encrypted TCP connections, as RDS (rds.force_ssl): others get "no pg_hba.conf entry … no encryption". */
  tlsOnly?: boolean;
}

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const root = mkdtempSync(path.join(tmpdir(), 'rock-private-pg-'));
  const data = path.join(root, 'data');
  makeCertificates(root);
  // PostgreSQL refuses to run as root: as root, hand the files to the postgres user and run as it.
  const asRoot = process.getuid?.() === 0;
  const run = (file: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : file, asRoot ? ['-u', 'postgres', '--', file, ...args] : args, { stdio: 'pipe' });
  if (asRoot) {
    const pgUser = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const pgGroup = Number(execFileSync('id', ['-g', 'postgres']).toString());
    for (const file of ['', 'server.key', 'server.crt']) chownSync(path.join(root, file), pgUser, pgGroup);
  }
  chmodSync(path.join(root, 'server.key'), 0o600);

  const port = await freePort();
  run(postgresBin('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  const passwordRole = { user: 'rockadmin', password: 'correct-rock-password' };
  // The first matching line wins: rockadmin needs its password, everyone else is trusted.
  const hba = path.join(data, 'pg_hba.conf');
  const rules = `host all ${passwordRole.user} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`;
  writeFileSync(hba, options.tlsOnly === true ? rules.replace(/^host(?=\s)/gm, 'hostssl') : rules);
  const settings = [
    `-p ${port}`,
    `-k ${root}`,
    '-c listen_addresses=127.0.0.1',
    '-c ssl=on',
    `-c ssl_cert_file=${path.join(root, 'server.crt')}`,
    `-c ssl_key_file=${path.join(root, 'server.key')}`,
    '-c fsync=off',
  ].join(' ');
  run(postgresBin('pg_ctl'), ['-D', data, '-o', settings, '-l', path.join(root, 'server.log'), '-w', 'start']);

  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', ssl: { rejectUnauthorized: false } });
  await admin.connect();
  await admin.query(`create role ${passwordRole.user} login password '${passwordRole.password}'`);
  // As on RDS, the master user owns the application's database (PostgreSQL 15 no longer lets
  // every role create tables in another owner's public schema).
  await admin.query(`create database rockofages owner ${passwordRole.user}`);
  await admin.end();

  return {
    port,
    passwordRole,
    caFile: path.join(root, 'ca.crt'),
    otherCaFile: path.join(root, 'other.crt'),
    stop: () => {
      run(postgresBin('pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
