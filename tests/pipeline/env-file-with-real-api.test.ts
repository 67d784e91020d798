import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
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
import { buildApiIfStale, firstAnswer, startApi } from './support/real-api.js';
import { Sandbox } from './support/sandbox.js';

const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const admin = new pg.Client({ ...POSTGRES, database: 'postgres' });
const databases: string[] = [];
const sandboxes: Sandbox[] = [];

beforeAll(async () => {
  buildApiIfStale();
  await admin.connect();
}, 180_000);

afterAll(async () => {
  for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  for (const sandbox of sandboxes) sandbox.remove();
});

async function newDatabase(): Promise<string> {
  const database = `rock_pipeline_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin.query(`CREATE DATABASE ${database}`);
  databases.push(database);
  return database;
}

async function counts(database: string): Promise<{ types: number; users: number }> {
  const client = new pg.Client({ ...POSTGRES, database });
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
  return startApi(workingDirectory);
}

describe('the env file deploy-api.sh writes, read by the real API (PostgreSQL on 127.0.0.1)', { timeout: 120_000 }, () => {
  it('workshop path: the DB_* parameters and the instance id are all it needs; no SEED chosen means no sample users', async () => {
    const database = await newDatabase();
    const secrets = { DB_NAME: database, DB_USER: 'postgres', DB_PASSWORD: "trust#auth'ignores=it", DB_HOST: '127.0.0.1', DB_PORT: '5432' };
    const sandbox = Sandbox.create({ ...instanceWorld(), parameters: parametersFor(secrets) });
    sandboxes.push(sandbox);

    const api = await deployAndStart(sandbox, deployArguments(NEW_IMAGE, 'disable'));
    try {
      const response = await firstAnswer(`${api.baseUrl}/health`);
      expect(response.status, api.output()).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', instance: INSTANCE_ID, database: 'ok' });
      expect(await counts(database)).toEqual({ types: 5, users: 0 });
    } finally {
      await api.stop();
    }
  });

  it("stack path: the database's secret, SEED=sample and TRUST_PROXY from the document, all accepted by the API", async () => {
    const database = await newDatabase();
    const secret = databaseSecretFor({ DB_USER: 'postgres', DB_PASSWORD: 'unused-with-trust', DB_HOST: '127.0.0.1', DB_PORT: '5432' });
    const sandbox = Sandbox.create({
      ...instanceWorld(),
      parameters: { [`${PARAMETER_PREFIX}SEED`]: 'sample' },
      secrets: { [DATABASE_SECRET_ARN]: secret },
    });
    sandboxes.push(sandbox);

    const api = await deployAndStart(sandbox, [
      '--image', NEW_IMAGE, '--region', 'us-east-2', '--parameter-prefix', PARAMETER_PREFIX, '--instance-id', INSTANCE_ID,
      '--database-secret', DATABASE_SECRET_ARN, '--database-name', database, '--ssl-mode', 'disable',
      '--trust-proxy', '10.40.0.0/16',
    ]);
    try {
      const response = await firstAnswer(`${api.baseUrl}/health`);
      expect(response.status, api.output()).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', instance: INSTANCE_ID, database: 'ok' });
      expect(await counts(database)).toEqual({ types: 5, users: 2 });
    } finally {
      await api.stop();
    }
  });
});
