import Fastify, { type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppConfig } from './config/config.js';
import type { DatabaseHandle } from './db/database.js';
import { applyConnectionCap, httpServerOptions } from './http-limits.js';
import apiDocs from './plugins/api-docs.js';
import authentication from './plugins/authentication.js';
import bodyEncoding from './plugins/body-encoding.js';
import cors from './plugins/cors.js';
import errorHandler, { answerFrameworkError } from './plugins/error-handler.js';
import gracefulShutdown from './plugins/graceful-shutdown.js';
import passwordHashing from './plugins/password-hashing.js';
import rateLimit from './plugins/rate-limit.js';
import repositories from './plugins/repositories.js';
import photos from './plugins/photos.js';
import authRoutes from './routes/auth/index.js';
import healthRoutes from './routes/health/index.js';
import photoFilesRoutes from './routes/photo-files/index.js';
import rockImagesRoutes from './routes/rock-images/index.js';
import { RequestLog } from './request-log.js';
import rocksRoutes from './routes/rocks/index.js';
import typesRoutes from './routes/types/index.js';
import { serializerCompiler } from './serialization/json-serializer.js';

export interface AppOptions {
  config: Pick<
    AppConfig,
    'corsOrigins' | 'instanceId' | 'tokenCacheMs' | 'authRateLimit' | 'trustProxy' | 'registerRateLimit' | 'loginFailureLimit' | 'loginFailureWindowMinutes' | 'http' | 'passwordHashing' | 'apiDocs' | 'photos'
  >;
  database: DatabaseHandle;
  logger?: FastifyServerOptions['logger'];
  /** Milliseconds since the epoch, for the login throttle's windows; tests pass a clock they move. */
  now?: () => number;
  /** Whether the course's sample credentials work here and the API is reachable from outside (reported by /health). */
  sampleCredentials?: () => boolean;
}

/** The whole API as a Fastify instance, not yet listening: the server starts it, tests build it. */
export async function buildApp({ config, database, logger = false, now = Date.now, sampleCredentials }: AppOptions) {
  const app = Fastify({
    logger,
    logController: new RequestLog(),
    trustProxy: config.trustProxy,
    // Requests are small JSON objects; anything larger is refused with 413.
    bodyLimit: 64 * 1024,
    // Routes are `/rocks`, as the original's; `/rocks/` is accepted too rather than a 404.
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: answerFrameworkError,
    ...httpServerOptions(config.http),
  }).withTypeProvider<ZodTypeProvider>();
  applyConnectionCap(app, config.http);

  // JSON only: other bodies get 415 instead of reaching validation as a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandler);
  await app.register(bodyEncoding);
  await app.register(gracefulShutdown);
  await app.register(cors, { origins: config.corsOrigins });
  await app.register(repositories, { database });
  await app.register(rateLimit, {
    attemptsPerMinute: config.authRateLimit,
    registrationsPerHour: config.registerRateLimit,
    failedLoginsPerAccount: config.loginFailureLimit,
    failedLoginWindowMinutes: config.loginFailureWindowMinutes,
    now,
  });
  await app.register(authentication, { tokenCacheMs: config.tokenCacheMs, now });
  await app.register(passwordHashing, config.passwordHashing);
  if (config.apiDocs) await app.register(apiDocs);
  await app.register(photos, { photos: config.photos });

  await app.register(healthRoutes, { instanceId: config.instanceId, sampleCredentials });
  await app.register(authRoutes);
  await app.register(typesRoutes);
  await app.register(rocksRoutes);
  await app.register(rockImagesRoutes);
  await app.register(photoFilesRoutes);

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
