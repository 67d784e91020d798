import pg from 'pg';
import type { PostgresConfig } from '../../config/config.js';
import { sslOptions } from '../../db/database.js';
import { errorLike, explainError } from '../known-errors.js';
import { skipped, step, type StepResult } from '../step-result.js';

const DATABASE_MISSING = '3D000';

function client(config: PostgresConfig, database: string, timeoutMs: number): pg.Client {
  // The same TLS options as the API's pool: what passes here passes there.
  return new pg.Client({
    host: config.host,
    port: config.port,
    database,
    user: config.user,
    password: config.password,
    ssl: sslOptions(config),
    connectionTimeoutMillis: timeoutMs,
    application_name: 'rock-of-ages-doctor',
  });
}

/** The databases the user can see, to help with a wrong DB_NAME; empty when even that is refused. */
async function listDatabases(config: PostgresConfig, timeoutMs: number): Promise<string[]> {
  const connection = client(config, 'postgres', timeoutMs);
  try {
    await connection.connect();
    const { rows } = await connection.query<{ datname: string }>('select datname from pg_database where datallowconn and not datistemplate order by datname');
    return rows.map((row) => row.datname);
  } catch {
    return [];
  } finally {
    await connection.end().catch(() => {});
  }
}

/** Step 5: logging in (with the server's exact error), the database, and the server's version. */
export async function checkConnection(config: PostgresConfig, timeoutMs: number): Promise<[StepResult, StepResult]> {
  const connection = client(config, config.database, timeoutMs);
  try {
    await connection.connect();
    const { rows } = await connection.query<{ version: string; ssl: boolean | null; protocol: string | null }>(
      'select current_setting(\'server_version\') as version, s.ssl, s.version as protocol from (select 1) one left join pg_stat_ssl s on s.pid = pg_backend_pid()',
    );
    const info = rows[0];
    const encryption = info?.ssl === true ? `encrypted (${info.protocol})` : 'not encrypted';
    return [
      step('authentication', 'ok', `logged in as ${config.user}; connection ${encryption}`),
      step('database', 'ok', `${config.database} exists; PostgreSQL ${info?.version ?? 'of unknown version'}`),
    ];
  } catch (error) {
    const details = errorLike(error);
    const problem = explainError(details, config);
    // PostgreSQL looks the database up only after accepting the password.
    if (details.code === DATABASE_MISSING) {
      const databases = await listDatabases(config, timeoutMs);
      return [
        step('authentication', 'ok', `logged in as ${config.user}`),
        step('database', 'fail', `there is no database ${config.database}`, databases.length === 0 ? [] : [`databases on this server: ${databases.join(', ')}`], problem),
      ];
    }
    return [step('authentication', 'fail', `the server refused the connection as ${config.user}`, [], problem), skipped('database', 'authentication failed')];
  } finally {
    await connection.end().catch(() => {});
  }
}
