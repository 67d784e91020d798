import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Dialect } from './dialects.js';
import { createScratchDatabase, postgresApiEnv } from './scratch-database.js';

/** A database of its own for an API process: the environment that points the API at it, and its removal. */
export interface ApiDatabase {
  env: Record<string, string>;
  drop: () => Promise<void>;
}

/**
 * A fresh, empty database of the dialect for an API started as a process (the API migrates and seeds
 * it at start-up): a SQLite file in a new folder, or a scratch database on the test server. Empty
 * DB_HOST and DATABASE_URL outrank any api/.env that names another server.
 */
export async function createApiDatabase(dialect: Dialect, prefix = 'rock_test'): Promise<ApiDatabase> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), `${prefix.replace(/_/g, '-')}-`));
    return { env: { SQLITE_PATH: path.join(dir, 'rock-of-ages.sqlite3'), DB_HOST: '', DATABASE_URL: '' }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const database = await createScratchDatabase(prefix);
  return { env: { ...postgresApiEnv(database.name), DATABASE_URL: '' }, drop: database.drop };
}
