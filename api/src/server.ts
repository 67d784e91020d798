import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { describeDatabase, loadConfig } from './config/config.js';
import { loadEnvFile } from './config/load-env-file.js';
import { createDatabase } from './db/database.js';
import { setUpDatabase } from './db/setup.js';
import { waitForDatabase } from './db/wait-for-database.js';

/**
 * Start-up: configuration, database (wait, migrate, seed), then listen. SIGTERM or SIGINT drains
 * (readiness 503, every answer Connection: close, still accepting), then stops accepting, lets
 * requests in flight finish and closes the pool.
 */
async function start(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  const database = createDatabase(config.database, {
    onReachabilityChange: (change) =>
      change.reachable
        ? app.log.info('Database reachable again')
        : app.log.error(`Database unreachable (${change.error.message || (change.error as NodeJS.ErrnoException).code}): answering 503 until it is back`),
    onIdleConnectionError: (error) => app.log.debug(`an idle database connection failed (${error.message}); the pool replaces it`),
  });
  const app = await buildApp({ config, database, logger: { level: config.logLevel } });

  app.log.info(`Using ${describeDatabase(config.database)}`);
  try {
    await waitForDatabase(database, config.database, {
      timeoutSeconds: config.databaseWaitSeconds,
      onRetry: (message) => app.log.warn(message),
    });
    await setUpDatabase(database, { migrate: config.migrateOnStart, seed: config.seedOnStart }, (line) => app.log.info(line));
  } catch (error) {
    app.log.fatal((error as Error).message);
    await database.close();
    process.exitCode = 1;
    return;
  }

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    app.log.fatal(`Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
    await app.close();
    await database.close();
    process.exitCode = 1;
    return;
  }

  // Installed once serving: its exit handling would otherwise override a failed start's exit code.
  // The drain, then up to 10 seconds for the requests in flight (each database call is bounded).
  closeWithGrace({ delay: config.shutdownDrainMs + 10_000, logger: app.log }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an unexpected error');
    else {
      app.log.info(`${signal} received: draining for up to ${config.shutdownDrainMs} ms, then finishing requests in flight and stopping`);
      await app.drain(config.shutdownDrainMs);
    }
    await app.close();
    await database.close();
  });
}

start().catch((error: unknown) => {
  console.error(`rock-of-ages-api: ${(error as Error).message}`);
  process.exitCode = 1;
});
