import { startApi, type RunningApi } from './api-process';
import { buildClient, serveClient, type BuiltClient, type ServedClient } from './client-build';
import { createTestDatabase, type Dialect, type TestDatabase } from './test-database';

/** A fresh database, the API on it, and the client built once and served with config.json naming that API. */
export interface AppStack {
  apiUrl: string;
  clientUrl: string;
  build: BuiltClient;
  stop(): Promise<void>;
}

/** `apiEnv` adds to the API's environment (a photo folder of the run's own, say). */
export async function startAppStack(dialect: Dialect, apiEnv: Record<string, string> = {}): Promise<AppStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const database: TestDatabase = await createTestDatabase(dialect);
    cleanups.push(() => database.drop());
    const api: RunningApi = await startApi({ ...database.apiEnv, ...apiEnv });
    cleanups.push(() => api.stop());
    const build: BuiltClient = await buildClient();
    cleanups.push(() => build.remove());
    const client: ServedClient = await serveClient(build, { apiUrl: api.url });
    cleanups.push(() => client.close());
    return { apiUrl: api.url, clientUrl: client.url, build, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
