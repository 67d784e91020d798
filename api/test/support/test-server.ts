import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createHttp, type CallOptions } from '@rock-of-ages/contract/suite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig, type HttpLimits } from '../../src/config/config.js';
import type { Dialect } from '../../src/db/database.js';
import { setUpDatabase } from '../../src/db/setup.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestServer {
  baseUrl: string;
  app: App;
  database: TestDatabase;
  close: () => Promise<void>;
}

/** The registration limit and the per-account login throttle, off as the per-address limit is. */
const OTHER_LIMITS_OFF = { registerRateLimit: 0, loginFailureLimit: 0, loginFailureWindowMinutes: 15 };

/** Test-only parts of the app: a clock the test moves, a logger it reads. */
export type TestAppOptions = Pick<AppOptions, 'now' | 'logger'>;

export type TestServerConfig = Partial<Omit<AppOptions['config'], 'http'>> & { http?: Partial<HttpLimits> };

/**
 * The API listening on a free loopback port, on a fresh migrated and seeded database. The login
 * and registration limits are off unless a test sets them: the contract suite logs in far more
 * often than a person. The HTTP limits are the defaults, but for those a test sets.
 */
export async function startTestServer(dialect: Dialect, { http, ...config }: TestServerConfig = {}, options: TestAppOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase(dialect);
  await setUpDatabase(database.handle, { migrate: true, seed: true }, () => {});
  // Photos in a folder of the server's own, unless the test chose a store.
  const photosDir = mkdtempSync(path.join(tmpdir(), 'rock-photos-'));
  const photos = config.photos ?? { store: { kind: 'local' as const, dir: photosDir }, jobLeaseMs: 120_000 };
  const defaults = loadConfig({});
  const app = await buildApp({
    config: {
      corsOrigins: '*',
      instanceId: 'test-instance',
      authRateLimit: 0,
      trustProxy: false,
      apiDocs: true,
      ...OTHER_LIMITS_OFF,
      tokenCacheMs: defaults.tokenCacheMs,
      passwordHashing: defaults.passwordHashing,
      ...config,
      photos,
      http: { ...defaults.http, ...http },
    },
    database: database.handle,
    ...options,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    database,
    close: async () => {
      await app.close();
      await database.destroy();
      rmSync(photosDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<Body = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (undefined when empty): `unknown` until a test names the contract type it expects. */
  body: Body;
}

export type RequestOptions = CallOptions;

/** One real HTTP request to the server, made as the contract suite makes them. */
export async function request<Body = unknown>(server: Pick<TestServer, 'baseUrl'>, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<Body>> {
  // The caller names the contract type it expects; the answer is not checked against it here.
  return (await createHttp(server.baseUrl)(method, path, options)) as ApiResponse<Body>;
}
