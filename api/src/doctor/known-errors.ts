import type { PostgresConfig } from '../config/config.js';
import type { Problem } from './step-result.js';

/**
 * The connection errors the doctor can name, with their cause and fix in plain words. Each links to
 * its entry in docs/troubleshooting.md, which is keyed by the same error text.
 */
export const TROUBLESHOOTING_PAGE = 'docs/troubleshooting.md';

export interface ErrorLike {
  code?: string;
  message: string;
}

interface KnownError {
  /** The entry's anchor in the troubleshooting page. */
  anchor: string;
  matches: (error: ErrorLike) => boolean;
  explain: (config: PostgresConfig) => { cause: string; fix: string };
}

const code = (...codes: string[]) => (error: ErrorLike) => error.code !== undefined && codes.includes(error.code);
const text = (pattern: RegExp) => (error: ErrorLike) => pattern.test(error.message);

const isRds = (config: PostgresConfig) => config.host.endsWith('.rds.amazonaws.com');

export const KNOWN_ERRORS: KnownError[] = [
  {
    anchor: 'getaddrinfo-enotfound',
    matches: code('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'),
    explain: (config) => ({
      cause: `the name ${config.host} does not resolve to any address`,
      fix: isRds(config)
        ? 'copy the endpoint again from RDS → Databases → rock-of-ages-db → Connectivity & security (DB_HOST is the endpoint alone: no postgres://, no :5432); an instance still being created has no name yet'
        : 'check DB_HOST for typos; "postgres-db" only resolves inside the Docker network (from your machine use localhost)',
    }),
  },
  {
    anchor: 'connect-econnrefused',
    matches: code('ECONNREFUSED'),
    explain: (config) => ({
      cause: `${config.host} answered, but nothing listens on port ${config.port}`,
      fix: 'start the database (docker compose up -d postgres-db, or your local PostgreSQL service), or correct DB_PORT (PostgreSQL listens on 5432 unless told otherwise)',
    }),
  },
  {
    anchor: 'connect-etimedout',
    matches: (error) => code('ETIMEDOUT', 'TCP_TIMEOUT')(error),
    explain: (config) => ({
      cause: 'the connection attempt got no answer at all: almost always a firewall rule (for RDS: the security group) or a database that is not publicly accessible',
      fix: isRds(config) || !['localhost', '127.0.0.1', '::1'].includes(config.host)
        ? `for RDS: in EC2 → Security Groups → the database's group (rock-of-ages-db-sg) → Inbound rules, allow PostgreSQL (TCP ${config.port}) from your IP (or from the API instance's security group); and in RDS → Modify → Connectivity, "Publicly accessible" must be Yes to connect from outside AWS`
        : 'a firewall drops the connection: check the host and port, and that the database runs there',
    }),
  },
  {
    anchor: 'connect-ehostunreach',
    matches: code('EHOSTUNREACH', 'ENETUNREACH'),
    explain: (config) => ({
      cause: `there is no network route to ${config.host} from here`,
      fix: 'an address of a private network (10.x, 172.16–31.x, 192.168.x) is only reachable from inside it: for RDS, connect from the EC2 instance or make the database publicly accessible; otherwise check your VPN or network',
    }),
  },
  {
    anchor: 'timeout-expired',
    matches: code('SERVER_SILENT'),
    explain: () => ({
      cause: 'the port accepted the connection but no PostgreSQL answered on it',
      fix: 'check DB_PORT: another program (a web server, an SSH tunnel that is not connected) may be listening there',
    }),
  },
  {
    anchor: 'connection-terminated-unexpectedly',
    matches: (error) => code('ECONNRESET', 'EPIPE')(error) || text(/Connection terminated unexpectedly|socket hang up/)(error),
    explain: () => ({
      cause: 'the server closed the connection during the start-up handshake',
      fix: 'the server may be restarting (RDS: a modification or maintenance in progress): wait and retry; if it persists, look at the server\'s log (RDS → Logs & events)',
    }),
  },
  {
    anchor: 'password-authentication-failed',
    matches: (error) => code('28P01')(error) || text(/password authentication failed/)(error),
    explain: (config) => ({
      cause: `the server refused the password for user "${config.user}" (or no such user exists: PostgreSQL does not say which)`,
      fix: isRds(config)
        ? 'DB_PASSWORD must be the master password chosen when the instance was created, and DB_USER the master username (rockadmin); forgot it? RDS → Modify → Settings → New master password. In DATABASE_URL, characters like @ : / # must be percent-encoded'
        : 'check DB_USER and DB_PASSWORD (in Docker Compose they must match POSTGRES_USER and POSTGRES_PASSWORD of postgres-db; a volume keeps the password of its first start)',
    }),
  },
  {
    anchor: 'no-pg-hba-conf-entry-no-encryption',
    matches: text(/no pg_hba\.conf entry for .*no encryption/),
    explain: () => ({
      cause: 'the server accepts only encrypted connections and this one was not encrypted (sslmode=disable)',
      fix: 'RDS requires TLS: set SSLMODE=require or verify-full (with DB_SSLROOTCERT=global-bundle.pem)',
    }),
  },
  {
    anchor: 'no-pg-hba-conf-entry',
    matches: text(/no pg_hba\.conf entry|pg_hba\.conf rejects connection/),
    explain: () => ({
      cause: 'the server\'s access rules (pg_hba.conf) allow no connection of this kind: from this address, for this user and database',
      fix: 'on a server of your own, add a line for this address to pg_hba.conf and reload it; on RDS, check the user and the database name',
    }),
  },
  {
    anchor: 'role-does-not-exist',
    matches: text(/role ".*" does not exist/),
    explain: (config) => ({
      cause: `there is no user "${config.user}" on this server`,
      fix: 'check DB_USER (the workshop\'s master username is rockadmin), or create the role: CREATE ROLE rockadmin LOGIN PASSWORD \'…\'',
    }),
  },
  {
    anchor: 'database-does-not-exist',
    matches: (error) => code('3D000')(error) || text(/database ".*" does not exist/)(error),
    explain: (config) => ({
      cause: `the server has no database "${config.database}"`,
      fix: isRds(config)
        ? `RDS creates it only when "Initial database name" was filled in at creation: create it with psql … dbname=postgres -c 'CREATE DATABASE ${config.database}', or correct DB_NAME`
        : `create it (createdb -h ${config.host} -U ${config.user} ${config.database}) or correct DB_NAME`,
    }),
  },
  {
    anchor: 'database-system-is-starting-up',
    matches: code('57P03'),
    explain: () => ({ cause: 'the server is still starting (or recovering)', fix: 'wait a few seconds and try again: the API itself retries for DB_WAIT_SECONDS' }),
  },
  {
    anchor: 'too-many-clients',
    matches: code('53300'),
    explain: () => ({
      cause: 'the server has no connection slot left',
      fix: 'stop other clients (a psql session, a VS Code connection, another API instance), or lower DB_POOL_MAX; a db.t4g.micro allows about 80 connections',
    }),
  },
  {
    anchor: 'self-signed-certificate-in-certificate-chain',
    matches: (error) => code('SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT')(error) || text(/self[- ]signed certificate/)(error),
    explain: () => ({
      cause: 'the server\'s certificate is signed by a CA that this connection does not trust (Node\'s built-in CAs do not include Amazon RDS\'s)',
      fix: 'download AWS\'s bundle (curl -o global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) and set DB_SSLROOTCERT to it; or SSLMODE=require (encrypted, server not verified)',
    }),
  },
  {
    anchor: 'unable-to-get-local-issuer-certificate',
    matches: (error) =>
      code('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT')(error) ||
      text(/unable to get local issuer certificate|unable to verify the first certificate/)(error),
    explain: () => ({
      cause: 'no certificate in DB_SSLROOTCERT (or among Node\'s CAs) signed the server\'s certificate',
      fix: 'DB_SSLROOTCERT must be the CA bundle of this server (for RDS: global-bundle.pem, or the bundle of your region), not a certificate of another server',
    }),
  },
  {
    anchor: 'hostname-does-not-match-altnames',
    matches: (error) => code('ERR_TLS_CERT_ALTNAME_INVALID')(error) || text(/does not match certificate's altnames/)(error),
    explain: () => ({
      cause: 'the certificate is valid but names another host than DB_HOST (verify-full checks the name)',
      fix: 'set DB_HOST to the name the certificate carries (for RDS the endpoint itself, not an IP address or a CNAME of your own), or use SSLMODE=verify-ca',
    }),
  },
  {
    anchor: 'certificate-has-expired',
    matches: (error) => code('CERT_HAS_EXPIRED')(error) || text(/certificate has expired/)(error),
    explain: () => ({
      cause: 'the server\'s certificate (or a CA in its chain) has expired',
      fix: 'for RDS: RDS → Databases → the instance → Modify → Certificate authority: choose a current CA (rds-ca-rsa2048-g1) and apply; download the current global-bundle.pem',
    }),
  },
  {
    anchor: 'the-server-does-not-support-ssl-connections',
    matches: (error) => code('TLS_NOT_OFFERED')(error) || text(/does not support SSL connections/)(error),
    explain: () => ({
      cause: 'this server does not accept encrypted connections (ssl is off, as on a local or Docker PostgreSQL)',
      fix: 'SSLMODE=disable for a server on your machine or in Docker (it is the default for localhost); RDS always accepts TLS, so this server is not RDS',
    }),
  },
  {
    anchor: 'client-password-must-be-a-string',
    matches: text(/client password must be a string/),
    explain: () => ({ cause: 'the server asks for a password and none is configured', fix: 'set DB_PASSWORD (or put the password in DATABASE_URL)' }),
  },
  {
    anchor: 'permission-denied-for-schema-public',
    matches: text(/permission denied for schema public/),
    explain: (config) => ({
      cause: `user "${config.user}" may not create tables in database "${config.database}" (PostgreSQL 15 no longer lets every user create tables in the public schema)`,
      fix: `connect as the database's owner (RDS: the master user), or as its owner run: GRANT CREATE ON SCHEMA public TO ${config.user}`,
    }),
  },
];

/** The cause and fix of a connection error; for one it does not know, the doctor says so. */
export function explainError(error: ErrorLike, config: PostgresConfig): Problem {
  const known = KNOWN_ERRORS.find((entry) => entry.matches(error));
  if (known === undefined) {
    return { error: error.message, cause: 'an error the doctor has no explanation for', fix: `look the error text up in ${TROUBLESHOOTING_PAGE}` };
  }
  return { error: error.message, ...known.explain(config), see: `${TROUBLESHOOTING_PAGE}#${known.anchor}` };
}

/** An error's text, whatever it is: Node 20's AggregateError of a failed connection has an empty message. */
export function errorLike(error: unknown): ErrorLike {
  const { code: errorCode, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown[] };
  let text = typeof message === 'string' ? message : String(error);
  if (text === '' && Array.isArray(errors) && errors.length > 0) text = (errors as Error[]).map((inner) => inner.message).join('; ');
  if (text === '' && typeof errorCode === 'string') text = errorCode;
  return typeof errorCode === 'string' ? { code: errorCode, message: text } : { message: text };
}
