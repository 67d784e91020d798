import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** What the seed adds: the sample users, tokens, types and rocks; the rock types only; or nothing. */
export const SEEDS = ['sample', 'reference', 'none'] as const;
export type Seed = (typeof SEEDS)[number];

export interface SqliteConfig {
  dialect: 'sqlite';
  /** Absolute path of the database file. */
  path: string;
}

export interface PostgresConfig {
  dialect: 'postgres';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  sslMode: SslMode;
  /** CA bundle for verify-ca / verify-full; Node's own trust store when unset. */
  sslRootCert: string | undefined;
  poolMax: number;
  /** How long a request waits for a connection. */
  connectTimeoutMs: number;
  /** How long one statement may run. */
  queryTimeoutMs: number;
}

export type DatabaseConfig = SqliteConfig | PostgresConfig;

/** How the HTTP server treats connections (Node's http.Server settings); 0 turns a limit off. */
export interface HttpLimits {
  /** Time to receive a whole request, headers and body; then 408. */
  requestTimeoutMs: number;
  /** Time to receive the headers; then 408. */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Requests one connection may carry; the last answer says Connection: close. */
  maxRequestsPerSocket: number;
  /** Open connections at once; more are closed as they arrive. */
  maxConnections: number;
}

/** Password hashing (logins, registrations), which takes a core for each hash while it runs. */
export interface HashingLimits {
  /** Hashes computed at once. */
  concurrency: number;
  /** Hashes waiting for a turn; more are refused with 503. */
  maxWaiting: number;
}

/** Where photo files live: a local directory by default, an S3 bucket with S3_BUCKET. */
export type PhotoStoreConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      /** An S3-compatible server instead of AWS. */
      endpoint: string | undefined;
      /** Where browsers fetch photos (the CloudFront distribution); through the API when unset. */
      publicUrl: string | undefined;
    };

export interface PhotosConfig {
  store: PhotoStoreConfig;
  /** How long a thumbnail job is one instance's before another may take it up (the instance may have died). */
  jobLeaseMs: number;
}

export interface AppConfig {
  host: string;
  port: number;
  /** `'*'` allows every origin, as the original API did. */
  corsOrigins: '*' | string[];
  instanceId: string;
  logLevel: string;
  database: DatabaseConfig;
  /** How long start-up keeps retrying an unreachable database. */
  databaseWaitSeconds: number;
  migrateOnStart: boolean;
  /** What start-up and `db:seed` add: SEED, or `none` when only the older SEED_ON_START=false is set. */
  seed: Seed;
  /** How long this process trusts a token it has looked up, in milliseconds; 0 looks it up on every request. */
  tokenCacheMs: number;
  /** `/login` and `/register` requests together per minute from one client address; 0 turns the limit off. */
  authRateLimit: number;
  /** `/register` requests per hour from one client address; 0 turns the limit off. */
  registerRateLimit: number;
  /** Failed logins per account (the name as typed) in one window before its logins are refused; 0 turns the throttle off. */
  loginFailureLimit: number;
  loginFailureWindowMinutes: number;
  /** Fastify's `trustProxy`: which proxies' X-Forwarded-For to believe when telling clients apart. */
  trustProxy: boolean | string[];
  http: HttpLimits;
  /** Password hashes (logins, registrations) computed at once, and how many may wait. */
  passwordHashing: HashingLimits;
  /** At shutdown, how long to keep answering (readiness 503, Connection: close) before closing the listener. */
  shutdownDrainMs: number;
  /** At shutdown, how long readiness answers 503 before the drain starts: the time a load balancer takes to stop sending. */
  shutdownDeregistrationMs: number;
  /** Whether `/openapi.json` and the reference page `/docs` are served. */
  apiDocs: boolean;
  photos: PhotosConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A duration in seconds, fractions allowed; `min` 0 lets 0 turn it off. */
const seconds = (fallback: number, min = 0) => z.coerce.number().min(min).max(3600).default(fallback);

const envSchema = z.object({
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  CORS_ORIGINS: optionalText,
  INSTANCE_ID: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalText,
  DB_HOST: optionalText,
  DB_PORT: z.coerce.number().int().min(1).max(65535).default(5432),
  DB_NAME: z.string().trim().min(1).default('rockofages'),
  DB_USER: z.string().trim().min(1).default('rockadmin'),
  DB_PASSWORD: z.string().optional(),
  SSLMODE: z.enum(SSL_MODES).optional(),
  DB_SSLROOTCERT: optionalText,
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DB_WAIT_SECONDS: z.coerce.number().min(0).max(600).default(30),
  SQLITE_PATH: z.string().trim().min(1).default('db.sqlite3'),
  MIGRATE_ON_START: z.stringbool().default(true),
  SEED: z.enum(SEEDS).optional(),
  // Kept for existing setups: false means SEED=none; SEED wins when both are set.
  SEED_ON_START: z.stringbool().optional(),
  TOKEN_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(5),
  AUTH_RATE_LIMIT: z.coerce.number().int().min(0).default(300),
  REGISTER_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  LOGIN_FAILURE_LIMIT: z.coerce.number().int().min(0).default(10),
  LOGIN_FAILURE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  TRUST_PROXY: optionalText,
  DB_CONNECT_TIMEOUT_SECONDS: seconds(5, 0.1),
  DB_QUERY_TIMEOUT_SECONDS: seconds(10, 0.1),
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds(30),
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds(10, 0.1),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: seconds(72, 0.1),
  HTTP_MAX_REQUESTS_PER_SOCKET: z.coerce.number().int().min(0).default(1000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(0).default(1024),
  // One core short of all of them: a burst of logins leaves one for answering other requests.
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(Math.max(1, availableParallelism() - 1)),
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  SHUTDOWN_DRAIN_SECONDS: seconds(3),
  SHUTDOWN_DEREGISTRATION_SECONDS: seconds(0),
  // A missing PostgreSQL configuration is an error instead of a SQLite file; on by default in production.
  REQUIRE_DATABASE: z.stringbool().optional(),
  NODE_ENV: optionalText,
  API_DOCS: z.stringbool().default(true),
  // The local photo store; by default a folder `photos` beside the SQLite file (/app/data/photos in the image).
  PHOTOS_DIR: optionalText,
  S3_BUCKET: optionalText,
  S3_ENDPOINT: z.url({ error: 'S3_ENDPOINT must be a URL such as http://127.0.0.1:4568' }).optional(),
  PHOTOS_PUBLIC_URL: z.url({ error: 'PHOTOS_PUBLIC_URL must be a URL such as https://d111111abcdef8.cloudfront.net' }).optional(),
  PHOTO_JOB_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(120),
});

type Env = z.infer<typeof envSchema>;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** libpq's default is "prefer"; ours is plain for this machine and encrypted for anything remote (RDS). */
function defaultSslMode(host: string): SslMode {
  return LOCAL_HOSTS.has(host) ? 'disable' : 'require';
}

function parseSslMode(value: string | null | undefined, source: string): SslMode | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if ((SSL_MODES as readonly string[]).includes(value)) return value as SslMode;
  throw new ConfigError(`${source} must be one of ${SSL_MODES.join(', ')} (got "${value}")`);
}

function postgresFromUrl(url: string, env: Env): PostgresConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/name)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (got "${parsed.protocol}//")`);
  }
  const host = decodeURIComponent(parsed.hostname);
  if (host === '') throw new ConfigError('DATABASE_URL has no host');
  const sslMode =
    parseSslMode(parsed.searchParams.get('sslmode'), 'sslmode in DATABASE_URL') ?? env.SSLMODE ?? defaultSslMode(host);
  return {
    dialect: 'postgres',
    host,
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    database: decodeURIComponent(parsed.pathname.slice(1)) || env.DB_NAME,
    user: decodeURIComponent(parsed.username) || env.DB_USER,
    password: parsed.password === '' ? env.DB_PASSWORD : decodeURIComponent(parsed.password),
    sslMode,
    sslRootCert: parsed.searchParams.get('sslrootcert') ?? env.DB_SSLROOTCERT,
    ...poolSettings(env),
  };
}

function poolSettings(env: Env): Pick<PostgresConfig, 'poolMax' | 'connectTimeoutMs' | 'queryTimeoutMs'> {
  return { poolMax: env.DB_POOL_MAX, connectTimeoutMs: env.DB_CONNECT_TIMEOUT_SECONDS * 1000, queryTimeoutMs: env.DB_QUERY_TIMEOUT_SECONDS * 1000 };
}

function databaseConfig(env: Env, cwd: string): DatabaseConfig {
  if (env.DATABASE_URL !== undefined) return postgresFromUrl(env.DATABASE_URL, env);
  if (env.DB_HOST !== undefined) {
    return {
      dialect: 'postgres',
      host: env.DB_HOST,
      port: env.DB_PORT,
      database: env.DB_NAME,
      user: env.DB_USER,
      password: env.DB_PASSWORD,
      sslMode: env.SSLMODE ?? defaultSslMode(env.DB_HOST),
      sslRootCert: env.DB_SSLROOTCERT,
      ...poolSettings(env),
    };
  }
  if (env.REQUIRE_DATABASE ?? env.NODE_ENV === 'production') {
    // Several instances would each write a SQLite file of their own: refuse rather than split the data.
    const because = env.REQUIRE_DATABASE === undefined ? 'NODE_ENV=production' : 'REQUIRE_DATABASE=true';
    throw new ConfigError(
      `No PostgreSQL database is configured: set DB_HOST (with DB_NAME, DB_USER and DB_PASSWORD) or DATABASE_URL. ` +
        `With ${because} the API does not fall back to a SQLite file (REQUIRE_DATABASE=false allows it).`,
    );
  }
  return { dialect: 'sqlite', path: path.resolve(cwd, env.SQLITE_PATH) };
}

/**
 * Reads the configuration from environment variables and refuses to start on any invalid value,
 * listing every problem at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const parsed = result.data;
  if (parsed.HTTP_REQUEST_TIMEOUT_SECONDS > 0 && parsed.HTTP_HEADERS_TIMEOUT_SECONDS > parsed.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError('Invalid configuration: HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS');
  }
  return {
    host: parsed.HOST,
    port: parsed.PORT,
    corsOrigins:
      parsed.CORS_ORIGINS === undefined || parsed.CORS_ORIGINS === '*'
        ? '*'
        : parsed.CORS_ORIGINS.split(',')
            .map((origin) => origin.trim())
            .filter((origin) => origin !== ''),
    instanceId: parsed.INSTANCE_ID ?? 'unknown',
    logLevel: parsed.LOG_LEVEL,
    database: databaseConfig(parsed, cwd),
    databaseWaitSeconds: parsed.DB_WAIT_SECONDS,
    migrateOnStart: parsed.MIGRATE_ON_START,
    seed: parsed.SEED ?? (parsed.SEED_ON_START === false ? 'none' : 'sample'),
    tokenCacheMs: parsed.TOKEN_CACHE_SECONDS * 1000,
    authRateLimit: parsed.AUTH_RATE_LIMIT,
    registerRateLimit: parsed.REGISTER_RATE_LIMIT,
    loginFailureLimit: parsed.LOGIN_FAILURE_LIMIT,
    loginFailureWindowMinutes: parsed.LOGIN_FAILURE_WINDOW_MINUTES,
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    http: {
      requestTimeoutMs: parsed.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      headersTimeoutMs: parsed.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: parsed.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      maxRequestsPerSocket: parsed.HTTP_MAX_REQUESTS_PER_SOCKET,
      maxConnections: parsed.HTTP_MAX_CONNECTIONS,
    },
    passwordHashing: { concurrency: parsed.PASSWORD_HASH_CONCURRENCY, maxWaiting: parsed.PASSWORD_HASH_QUEUE },
    shutdownDrainMs: parsed.SHUTDOWN_DRAIN_SECONDS * 1000,
    shutdownDeregistrationMs: parsed.SHUTDOWN_DEREGISTRATION_SECONDS * 1000,
    apiDocs: parsed.API_DOCS,
    photos: { store: photoStoreConfig(parsed, cwd), jobLeaseMs: parsed.PHOTO_JOB_LEASE_SECONDS * 1000 },
  };
}

function photoStoreConfig(env: Env, cwd: string): PhotoStoreConfig {
  if (env.S3_BUCKET !== undefined) return { kind: 's3', bucket: env.S3_BUCKET, endpoint: env.S3_ENDPOINT, publicUrl: env.PHOTOS_PUBLIC_URL };
  if (env.PHOTOS_PUBLIC_URL !== undefined) throw new ConfigError('PHOTOS_PUBLIC_URL is for the S3 store: set S3_BUCKET too, or leave it out (the API serves local photos itself)');
  return { kind: 'local', dir: path.resolve(cwd, env.PHOTOS_DIR ?? path.join(path.dirname(env.SQLITE_PATH), 'photos')) };
}

/** `true`/`false`, or a comma-separated list of proxy addresses and CIDRs. */
function parseTrustProxy(value: string | undefined): AppConfig['trustProxy'] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** Where the data lives, for logs and error messages: never includes the password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return `SQLite file ${config.path}`;
  return `PostgreSQL at ${config.host}:${config.port}/${config.database} as user ${config.user} (sslmode=${config.sslMode})`;
}
