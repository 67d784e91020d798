import path from 'node:path';
import { loadConfig, type DatabaseConfig, type PostgresConfig } from '../config/config.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

const isPostgresUrl = (value: string) => /^postgres(ql)?:\/\//.test(value);

/**
 * `--from`: `sqlite:<file>` (relative to the folder npm was started in, else the working folder)
 * or a `postgres://` URL.
 */
export function parseSource(value: string, env: NodeJS.ProcessEnv, cwd: string): DatabaseConfig {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length);
    if (file === '') throw new UsageError('--from sqlite: needs a file, e.g. --from sqlite:db.sqlite3');
    return { dialect: 'sqlite', path: path.resolve(env.INIT_CWD ?? cwd, file) };
  }
  if (isPostgresUrl(value)) return loadConfig({ DATABASE_URL: value }, cwd).database;
  throw new UsageError(`--from must be sqlite:<file> or a postgres:// URL (got "${value}")`);
}

/** `--to`: `env` (the PostgreSQL that DB_* or DATABASE_URL name, .env included) or a `postgres://` URL. */
export function parseTarget(value: string, env: NodeJS.ProcessEnv, cwd: string): PostgresConfig {
  if (value !== 'env' && !isPostgresUrl(value)) throw new UsageError(`--to must be env or a postgres:// URL (got "${value}")`);
  const database = loadConfig(value === 'env' ? env : { ...env, DATABASE_URL: value }, cwd).database;
  if (database.dialect !== 'postgres') {
    throw new UsageError('--to env: the environment names no PostgreSQL (set DB_HOST or DATABASE_URL, in the environment or api/.env)');
  }
  return database;
}

export function sameDatabase(source: DatabaseConfig, target: PostgresConfig): boolean {
  return source.dialect === 'postgres' && source.host === target.host && source.port === target.port && source.database === target.database;
}
