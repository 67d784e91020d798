import { createApiDatabase, startApi, type ApiDatabase, type Dialect, type RunningApi } from '@rock-of-ages/test-kit';
import { buildClient, serveClient, type BuiltClient, type ServedClient } from './client-build';

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
    const database: ApiDatabase = await createApiDatabase(dialect, 'rock_e2e');
    cleanups.push(() => database.drop());
    // The built API, as production runs it; its sample data is what the journey signs in with.
    const api: RunningApi = await startApi({ ...database.env, LOG_LEVEL: 'info', CORS_ORIGINS: '', ...apiEnv }, { built: true });
    cleanups.push(() => api.stop());
    const build: BuiltClient = await buildClient();
    cleanups.push(() => build.remove());
    const client: ServedClient = await serveClient(build, { apiUrl: api.baseUrl });
    cleanups.push(() => client.close());
    return { apiUrl: api.baseUrl, clientUrl: client.url, build, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
