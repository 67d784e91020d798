import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployArguments, INSTANCE_ID, instanceWorld, NEW_IMAGE, parametersFor } from './support/instance-world.js';
import { buildApiIfStale, firstAnswer, startApi } from './support/real-api.js';
import { Sandbox } from './support/sandbox.js';

const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const database = `rock_pipeline_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const admin = new pg.Client({ ...POSTGRES, database: 'postgres' });
let sandbox: Sandbox | undefined;

beforeAll(async () => {
  buildApiIfStale();
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
}, 180_000);

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  sandbox?.remove();
});

async function countTypes(): Promise<number> {
  const client = new pg.Client({ ...POSTGRES, database });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>('SELECT COUNT(*) AS count FROM rockapi_type');
    return Number(result.rows[0]?.count);
  } finally {
    await client.end();
  }
}

describe('the env file deploy-api.sh writes, read by the real API (PostgreSQL on 127.0.0.1)', { timeout: 120_000 }, () => {
  it('gives the API every database setting and its instance id, and nothing else is needed', async () => {
    const secrets = {
      DB_NAME: database,
      DB_USER: 'postgres',
      DB_PASSWORD: "trust#auth'ignores=it",
      DB_HOST: '127.0.0.1',
      DB_PORT: '5432',
    };
    sandbox = Sandbox.create({ ...instanceWorld(), parameters: parametersFor(secrets) });
    const deployed = sandbox.runScript('deploy-api.sh', deployArguments(NEW_IMAGE, 'disable'));
    expect(deployed.status, deployed.stderr).toBe(0);
    const envFile = sandbox.world().containers['rock-of-ages-api']?.mounts[0]?.source ?? '';
    // The container's working directory, with the mounted file as its `.env`.
    const workingDirectory = mkdtempSync(path.join(sandbox.directory, 'app-api-'));
    copyFileSync(envFile, path.join(workingDirectory, '.env'));

    const api = await startApi(workingDirectory);
    try {
      const response = await firstAnswer(`${api.baseUrl}/health`);

      expect(response.status, api.output()).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', instance: INSTANCE_ID, database: 'ok' });
      expect(await countTypes()).toBe(5);
    } finally {
      await api.stop();
    }
  });
});
