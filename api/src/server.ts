import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp, type App } from './app.js';
import { describeDatabase, loadConfig, type AppConfig } from './config/config.js';
import { reachableFromOutside } from './config/exposure.js';
import { loadEnvFile } from './config/load-env-file.js';
import { createDatabase, type DatabaseHandle } from './db/database.js';
import { hasSampleCredentials } from './db/sample-credentials.js';
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
  let sampleCredentials = false;
  // Log lines are written asynchronously (and flushed at exit): a synchronous write per line, two
  // lines per request at level info, cost a large share of a small request's time.
  const logger = { level: config.logLevel, stream: pino.destination({ sync: false }) };
  const app = await buildApp({ config, database, logger, sampleCredentials: () => sampleCredentials });

  app.log.info(`Using ${describeDatabase(config.database)}`);
  try {
    await waitForDatabase(database, config.database, {
      timeoutSeconds: config.databaseWaitSeconds,
      onRetry: (message) => app.log.warn(message),
    });
    await setUpDatabase(database, { migrate: config.migrateOnStart, seed: config.seed }, (line) => app.log.info(line));
    sampleCredentials = await warnAboutSampleCredentials(app, config, database);
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
  // Readiness off for the deregistration delay, the drain, then up to 10 seconds for the requests in
  // flight (each database call is bounded).
  const { shutdownDeregistrationMs, shutdownDrainMs } = config;
  closeWithGrace({ delay: shutdownDeregistrationMs + shutdownDrainMs + 10_000, logger: app.log }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an unexpected error');
    else {
      app.log.info(
        `${signal} received: readiness off for ${shutdownDeregistrationMs} ms, then draining for up to ${shutdownDrainMs} ms, ` +
          'then finishing requests in flight and stopping',
      );
      await app.drain(shutdownDrainMs, shutdownDeregistrationMs);
    }
    await app.close();
    await database.close();
  });
}

/**
 * The course's sample users (password "password", fixed tokens) are fine on a laptop and dangerous
 * anywhere else: say so at start-up, and let /health report it, whenever the API or its database
 * can be reached from outside this machine.
 */
async function warnAboutSampleCredentials(app: App, config: AppConfig, database: DatabaseHandle): Promise<boolean> {
  const reasons = reachableFromOutside(config);
  if (reasons.length === 0) return false;
  try {
    if (!(await hasSampleCredentials(database.db))) return false;
  } catch (error) {
    // Tables missing (MIGRATE_ON_START=false on an empty database): no credentials to worry about yet.
    app.log.warn(`Could not check for the sample users' credentials: ${(error as Error).message}`);
    return false;
  }
  app.log.warn(
    `The sample users' credentials work in this database (password "password", tokens abcdef123456 and ghijkl789012) ` +
      `and ${reasons.join(' and ')}: anyone who reaches the API can sign in as john@example.com. ` +
      'Start with SEED=reference and delete the sample users (see the README, "Sample data in production").',
  );
  return true;
}

start().catch((error: unknown) => {
  console.error(`rock-of-ages-api: ${(error as Error).message}`);
  process.exitCode = 1;
});
