import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { describeDatabase, loadConfig } from './config/config.js';
import { loadEnvFile } from './config/load-env-file.js';
import { createDatabase } from './db/database.js';
import { setUpDatabase } from './db/setup.js';
import { waitForDatabase } from './db/wait-for-database.js';

/**
 * Start-up: configuration, database (wait, migrate, seed), then listen; SIGTERM or SIGINT stops
 * accepting, lets requests in flight finish and closes the pool.
 */
async function start(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  const database = createDatabase(config.database, (error) => app.log.error({ err: error }, 'idle database connection failed'));
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
  closeWithGrace({ delay: 10_000, logger: app.log }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an unexpected error');
    else app.log.info(`${signal} received: finishing requests in flight, then stopping`);
    await app.close();
    await database.close();
  });
}

start().catch((error: unknown) => {
  console.error(`rock-of-ages-api: ${(error as Error).message}`);
  process.exitCode = 1;
});
