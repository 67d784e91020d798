import { copyFileSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { createScratchDatabase, startApi, testDatabaseServer, type ScratchDatabase } from '@rock-of-ages/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_SECRET_ARN,
  databaseSecretFor,
  deployArguments,
  INSTANCE_ID,
  instanceWorld,
  NEW_IMAGE,
  PARAMETER_PREFIX,
  parametersFor,
} from './support/instance-world.js';
import { buildApiIfStale } from './support/real-api.js';
import { Sandbox } from './support/sandbox.js';

/** The test PostgreSQL server (TEST_DATABASE_URL), which the deployed API is pointed at. */
const POSTGRES = testDatabaseServer();
const databases: ScratchDatabase[] = [];
const sandboxes: Sandbox[] = [];

beforeAll(() => {
  buildApiIfStale();
}, 180_000);

afterAll(async () => {
  for (const database of databases) await database.drop();
  for (const sandbox of sandboxes) sandbox.remove();
});

async function newDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase('rock_pipeline');
  databases.push(database);
  return database;
}

async function counts(database: ScratchDatabase): Promise<{ types: number; users: number }> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const result = await client.query<{ types: string; users: string }>(
      'SELECT (SELECT COUNT(*) FROM rockapi_type) AS types, (SELECT COUNT(*) FROM auth_user) AS users',
    );
    return { types: Number(result.rows[0]?.types), users: Number(result.rows[0]?.users) };
  } finally {
    await client.end();
  }
}

/** Runs deploy-api.sh on a fake instance, then the real API in a directory whose .env is the mounted file. */
async function deployAndStart(sandbox: Sandbox, args: string[]) {
  const deployed = sandbox.runScript('deploy-api.sh', args);
  expect(deployed.status, deployed.stderr).toBe(0);
  const envFile = sandbox.world().containers['rock-of-ages-api']?.mounts[0]?.source ?? '';
  const workingDirectory = mkdtempSync(path.join(sandbox.directory, 'app-api-'));
  copyFileSync(envFile, path.join(workingDirectory, '.env'));
  // Whatever that .env says is all the database configuration the API gets, as in the container.
  return startApi({}, { built: true, cwd: workingDirectory, ready: false });
}

describe('the env file deploy-api.sh writes, read by the real API (PostgreSQL on 127.0.0.1)', { timeout: 120_000 }, () => {
  it('workshop path: the DB_* parameters and the instance id are all it needs; no SEED chosen means no sample users', async () => {
    const database = await newDatabase();
    const secrets = { DB_NAME: database.name, DB_USER: POSTGRES.user, DB_PASSWORD: "trust#auth'ignores=it", DB_HOST: POSTGRES.host, DB_PORT: String(POSTGRES.port) };
    const sandbox = Sandbox.create({ ...instanceWorld(), parameters: parametersFor(secrets) });
    sandboxes.push(sandbox);

    const api = await deployAndStart(sandbox, deployArguments(NEW_IMAGE, 'disable'));
    try {
      const response = await fetch(`${api.baseUrl}/health`);
      expect(response.status, api.output()).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', instance: INSTANCE_ID, database: 'ok' });
      expect(await counts(database)).toEqual({ types: 5, users: 0 });
    } finally {
      await api.stop();
    }
  });

  it("stack path: the database's secret, SEED=sample and TRUST_PROXY from the document, all accepted by the API", async () => {
    const database = await newDatabase();
    const secret = databaseSecretFor({ DB_USER: POSTGRES.user, DB_PASSWORD: 'unused-with-trust', DB_HOST: POSTGRES.host, DB_PORT: String(POSTGRES.port) });
    const sandbox = Sandbox.create({
      ...instanceWorld(),
      parameters: { [`${PARAMETER_PREFIX}SEED`]: 'sample' },
      secrets: { [DATABASE_SECRET_ARN]: secret },
    });
    sandboxes.push(sandbox);

    const api = await deployAndStart(sandbox, [
      '--image', NEW_IMAGE, '--region', 'us-east-2', '--parameter-prefix', PARAMETER_PREFIX, '--instance-id', INSTANCE_ID,
      '--database-secret', DATABASE_SECRET_ARN, '--database-name', database.name, '--ssl-mode', 'disable',
      '--trust-proxy', '10.40.0.0/16',
    ]);
    try {
      const response = await fetch(`${api.baseUrl}/health`);
      expect(response.status, api.output()).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', instance: INSTANCE_ID, database: 'ok' });
      expect(await counts(database)).toEqual({ types: 5, users: 2 });
    } finally {
      await api.stop();
    }
  });
});
