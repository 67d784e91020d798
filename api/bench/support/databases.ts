import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDriver from 'better-sqlite3';
import pg from 'pg';
import { createScratchDatabase, postgresApiEnv } from '@rock-of-ages/test-kit';

export type Engine = 'sqlite' | 'postgres';

export interface BenchDatabase {
  /** The API's environment for this database. */
  env: Record<string, string>;
  /** Adds rocks until there are `total` (in one statement, straight into the database). */
  fillTo: (total: number) => Promise<void>;
  drop: () => Promise<void>;
}

/** An empty database for one engine; the API migrates and seeds it at start, as it would for a user. */
export async function createBenchDatabase(engine: Engine, dir: string): Promise<BenchDatabase> {
  if (engine === 'sqlite') {
    const file = path.join(mkdtempSync(path.join(dir, 'sqlite-')), 'bench.sqlite3');
    return {
      env: { SQLITE_PATH: file },
      fillTo: async (total) => {
        const connection = new SqliteDriver(file);
        connection.pragma('busy_timeout = 5000');
        const have = (connection.prepare('select count(*) as n from rockapi_rock').get() as { n: number }).n;
        connection
          .prepare(
            `with recursive g(n) as (select 1 union all select n + 1 from g where n < ?)
             insert into rockapi_rock (name, weight, type_id, user_id) select 'Rock ' || n, 1.25, 1 + n % 5, 1 + n % 2 from g`,
          )
          .run(Math.max(0, total - have));
        connection.close();
      },
      drop: async () => rmSync(path.dirname(file), { recursive: true, force: true }),
    };
  }
  const database = await createScratchDatabase('rock_bench');
  return {
    env: postgresApiEnv(database.name),
    fillTo: async (total) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from rockapi_rock');
      await client.query(
        `insert into rockapi_rock (name, weight, type_id, user_id) select 'Rock ' || g, 1.25, 1 + g % 5, 1 + g % 2 from generate_series(1, $1::int) g`,
        [Math.max(0, total - (rows[0]?.n ?? 0))],
      );
      await client.end();
    },
    drop: database.drop,
  };
}

export function benchDirectory(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rock-bench-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
