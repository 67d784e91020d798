/**
 * Time and peak memory of `transfer` from a Django-shaped SQLite file into a fresh PostgreSQL
 * database, for growing numbers of rocks: the compiled CLI in its own process, its peak resident
 * memory (VmHWM) sampled until it exits. Flat memory across sizes is what "bounded" means here.
 * For reference, the same rocks loaded with PostgreSQL's COPY (psql \copy) into a migrated database.
 * Prints figures; asserts nothing.
 *
 *   npm run bench:transfer --workspace api      (TRANSFER_SIZES=10000,100000 by default)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SqliteDriver from 'better-sqlite3';
import { TEST_DATABASE_URL } from '@rock-of-ages/test-kit';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { addRocks, createDjangoSqlite } from '../test/support/django-sqlite.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresConfig } from '../test/support/test-database.js';

const SIZES = (process.env.TRANSFER_SIZES ?? '10000,100000').split(',').map(Number);
const API_DIR = path.resolve(import.meta.dirname, '..');

function peakMemoryMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    return line === null ? 0 : Number(line[1]) / 1024;
  } catch {
    return 0;
  }
}

function sourceFile(dir: string, rocks: number): string {
  const file = path.join(dir, `rocks-${rocks}.sqlite3`);
  const user = { last_login: null, is_superuser: 0, is_staff: 0, is_active: 1, password: 'pbkdf2_sha256$1000$salt$hash', date_joined: '2025-09-01 09:00:00.123456' } as const;
  createDjangoSqlite(file, {
    users: [1, 2, 3, 4].map((id) => ({ ...user, id, username: `user${id}@example.com`, email: `user${id}@example.com`, first_name: `First ${id}`, last_name: `Last ${id}` })),
    tokens: [1, 2, 3, 4].map((id) => ({ key: `${id}`.padStart(40, '0'), created: '2025-09-01 09:00:00', user_id: id })),
    types: ['Metamorphic', 'Igneous', 'Sedimentary', 'Shale', 'Basalt'].map((label, index) => ({ id: index + 1, label })),
    rocks: [],
  });
  addRocks(file, rocks, 1, [1, 2, 3, 4], [1, 2, 3, 4, 5]);
  return file;
}

async function transfer(file: string, database: string): Promise<{ seconds: number; peak: number }> {
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = `/${database}`;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['dist/cli.js', 'transfer', '--from', `sqlite:${file}`, '--to', admin.toString()], {
    cwd: API_DIR,
    env: { PATH: process.env.PATH ?? '', SSLMODE: 'disable' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let peak = 0;
  let done = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => ((done = true), resolve(code))));
  while (!done) {
    peak = Math.max(peak, peakMemoryMiB(child.pid ?? 0));
    await sleep(20);
  }
  if ((await exited) !== 0 || !output.includes('Transfer complete')) throw new Error(`transfer failed:\n${output}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peak };
}

/** The same rocks through COPY, the fastest way PostgreSQL loads rows, as a yardstick. */
async function copyReference(file: string, dir: string): Promise<number> {
  const database = await createPostgresDatabase();
  try {
    const handle = createDatabase(postgresConfig(database));
    await migrateToLatest(handle.db);
    await handle.close();
    const source = new SqliteDriver(file, { readonly: true });
    const csv = path.join(dir, 'rocks.csv');
    writeFileSync(path.join(dir, 'types.csv'), ['Metamorphic', 'Igneous', 'Sedimentary', 'Shale', 'Basalt'].map((label, index) => `${index + 1},${label}`).join('\n'));
    const rows = source.prepare('select id, name, weight, type_id, user_id from rockapi_rock').raw().all() as unknown[][];
    writeFileSync(csv, rows.map((row) => row.join(',')).join('\n'));
    source.close();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    const psql = (command: string) => execFileSync('psql', [url.toString(), '-q', '-c', command]);
    psql("insert into auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) select i, 'x', false, 'u' || i, 'f', 'l', 'e' || i, false, true, now() from generate_series(1, 4) i");
    psql(`\\copy rockapi_type (id, label) from '${path.join(dir, 'types.csv')}' csv`);
    const started = process.hrtime.bigint();
    psql(`\\copy rockapi_rock (id, name, weight, type_id, user_id) from '${csv}' csv`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await dropPostgresDatabase(database);
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'rock-bench-transfer-'));
const results = [];
try {
  for (const rocks of SIZES) {
    const file = sourceFile(dir, rocks);
    const database = await createPostgresDatabase();
    try {
      const { seconds, peak } = await transfer(file, database);
      results.push({
        rocks,
        'transfer s (copy + verify + queries)': Number(seconds.toFixed(2)),
        'rocks/s': Math.round(rocks / seconds),
        'peak RSS MiB': Number(peak.toFixed(1)),
        'COPY of the rocks alone s': Number((await copyReference(file, dir)).toFixed(2)),
      });
    } finally {
      await dropPostgresDatabase(database);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`transfer, SQLite (Django schema) → PostgreSQL on 127.0.0.1, batches of 1,000, Node ${process.version}`);
console.table(results);
