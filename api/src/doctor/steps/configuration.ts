import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type DatabaseConfig, type PostgresConfig } from '../../config/config.js';
import { step, type StepResult } from '../step-result.js';

/** The variables that choose and reach the database, in the order the README lists them. */
const DATABASE_VARIABLES = ['DATABASE_URL', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'SSLMODE', 'DB_SSLROOTCERT', 'DB_POOL_MAX', 'DB_WAIT_SECONDS', 'SQLITE_PATH'];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export interface ConfigurationCheck {
  result: StepResult;
  database?: DatabaseConfig;
}

function shown(name: string, value: string): string {
  if (name === 'DB_PASSWORD') return `${name}=(set, hidden)`;
  if (name === 'DATABASE_URL') {
    try {
      const url = new URL(value);
      if (url.password !== '') url.password = 'hidden';
      return `${name}=${url.toString()}`;
    } catch {
      return `${name}=(not a URL)`;
    }
  }
  return `${name}=${value}`;
}

function sslModeReason(config: PostgresConfig, env: NodeJS.ProcessEnv): string {
  if (env.DATABASE_URL !== undefined && /[?&]sslmode=/.test(env.DATABASE_URL)) return 'set by sslmode in DATABASE_URL';
  if (env.SSLMODE !== undefined && env.SSLMODE.trim() !== '') return 'set by SSLMODE';
  const variable = env.DATABASE_URL !== undefined ? "DATABASE_URL's host" : 'DB_HOST';
  return config.sslMode === 'disable' ? `the default, because ${variable} is local` : `the default, because ${variable} is not local`;
}

function postgresWarnings(config: PostgresConfig, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  const local = LOCAL_HOSTS.has(config.host);
  if (env.DATABASE_URL !== undefined && env.DB_HOST !== undefined) warnings.push('DATABASE_URL and DB_HOST are both set: DATABASE_URL wins, DB_HOST is ignored');
  if (/:\/\/|:\d+$|\//.test(env.DB_HOST ?? '')) warnings.push('DB_HOST should be the host name alone (no postgres://, no :5432, no /database)');
  if (!local && config.sslMode === 'disable') warnings.push('sslmode=disable to a remote server: RDS refuses unencrypted connections');
  if ((config.sslMode === 'verify-ca' || config.sslMode === 'verify-full') && config.sslRootCert === undefined) {
    warnings.push(`sslmode=${config.sslMode} without DB_SSLROOTCERT checks the server against Node's built-in CAs, which do not include Amazon RDS's`);
  }
  if (!local && config.password === undefined) warnings.push('DB_PASSWORD is not set: RDS always asks for a password');
  if (config.password !== undefined && config.password !== config.password.trim()) warnings.push('DB_PASSWORD starts or ends with a space or a line break (pasted?)');
  return warnings;
}

/** Step 1: what the environment says, checked without connecting anywhere. Never shows the password. */
export function checkConfiguration(env: NodeJS.ProcessEnv, cwd: string): ConfigurationCheck {
  const set = DATABASE_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '');
  const variables = set.length === 0 ? 'no database variable is set' : `set: ${set.map((name) => shown(name, env[name] ?? '')).join(' ')}`;

  let database: DatabaseConfig;
  try {
    database = loadConfig(env, cwd).database;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      result: step('configuration', 'fail', 'the configuration is invalid', [variables], {
        error: error.message,
        cause: 'a variable has a value the API does not accept',
        fix: 'correct the variables named above (in the environment or api/.env; see api/.env.example)',
      }),
    };
  }

  if (database.dialect === 'sqlite') {
    return { database, result: step('configuration', 'ok', `SQLite file ${database.path} (neither DB_HOST nor DATABASE_URL is set)`, [variables]) };
  }

  const source = env.DATABASE_URL !== undefined ? 'DATABASE_URL' : 'DB_HOST';
  const summary = `PostgreSQL (${source} is set) at ${database.host}:${database.port}/${database.database} as user ${database.user}; sslmode=${database.sslMode}, ${sslModeReason(database, env)}`;
  const details = [variables];
  if (database.sslRootCert !== undefined) {
    try {
      readFileSync(database.sslRootCert);
      details.push(`CA bundle: ${database.sslRootCert}${database.sslMode.startsWith('verify') ? '' : ` (not used with sslmode=${database.sslMode})`}`);
    } catch (error) {
      return {
        database,
        result: step('configuration', 'fail', summary, details, {
          error: `DB_SSLROOTCERT cannot be read: ${(error as Error).message}`,
          cause: 'the CA bundle file named by DB_SSLROOTCERT is missing or unreadable',
          fix: 'download it (curl -o global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) and give its path, relative to api/ or absolute',
        }),
      };
    }
  }
  const warnings = postgresWarnings(database, env);
  return { database, result: step('configuration', warnings.length > 0 ? 'warn' : 'ok', summary, [...details, ...warnings.map((warning) => `warning: ${warning}`)]) };
}
