import { readFileSync } from 'node:fs';
import { connect as connectTcp, isIP } from 'node:net';
import { checkServerIdentity, connect as connectTls, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { PostgresConfig } from '../../config/config.js';
import { errorLike, explainError } from '../known-errors.js';
import { step, type StepResult } from '../step-result.js';
import { withTimeLimit } from '../time-limit.js';

/** PostgreSQL's SSLRequest: length 8, then the code 80877103. The server answers one byte, S or N. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const WARN_DAYS_BEFORE_EXPIRY = 30;

type Handshake = { offered: false } | { offered: true; socket: TLSSocket };

/** Asks for TLS the way node-postgres does, then completes the handshake without judging the certificate. */
async function handshake(config: PostgresConfig, ca: string | undefined): Promise<Handshake> {
  const tcp = connectTcp({ host: config.host, port: config.port });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('connect', resolve);
      tcp.once('error', reject);
    });
    const answer = await new Promise<string>((resolve, reject) => {
      tcp.once('data', (chunk: Buffer) => resolve(String.fromCharCode(chunk[0] ?? 0)));
      tcp.once('error', reject);
      tcp.once('end', () => reject(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' })));
      tcp.write(SSL_REQUEST);
    });
    if (answer === 'N') {
      tcp.destroy();
      return { offered: false };
    }
    if (answer !== 'S') throw Object.assign(new Error(`the server answered the TLS request with "${answer}": this is not PostgreSQL`), { code: 'SERVER_SILENT' });
    const socket = connectTls({ socket: tcp, servername: isIP(config.host) === 0 ? config.host : undefined, rejectUnauthorized: false, ca });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return { offered: true, socket };
  } catch (error) {
    tcp.destroy();
    throw error;
  }
}

/** OpenSSL's words for the verification failures Node reports only by code (node-postgres's errors carry these words). */
const CHAIN_ERRORS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
};

function chainError(socket: TLSSocket): { code: string; message: string } | undefined {
  if (socket.authorized) return undefined;
  const reason = socket.authorizationError as Error | string;
  const code = typeof reason === 'string' ? reason : ((reason as { code?: string }).code ?? reason.message);
  return { code, message: CHAIN_ERRORS[code] ?? (typeof reason === 'string' ? reason : reason.message) };
}

const days = (count: number) => `${count} day${count === 1 ? '' : 's'}`;
const name = (entity: PeerCertificate['subject'] | undefined) => (entity?.CN === undefined ? 'no common name' : `CN=${entity.CN}`);

/** Step 4: the TLS handshake, the server's certificate, and the checks the sslmode asks for. */
export async function checkTls(config: PostgresConfig, timeoutMs: number): Promise<StepResult> {
  if (config.sslMode === 'disable') return step('TLS', 'skip', 'not used: sslmode=disable (the connection is not encrypted)');
  const ca = config.sslRootCert === undefined ? undefined : readFileSync(config.sslRootCert, 'utf8');
  const trusted = config.sslRootCert === undefined ? "Node's built-in CAs" : config.sslRootCert;

  let result: Handshake;
  try {
    result = await withTimeLimit(handshake(config, ca), timeoutMs, 'SERVER_SILENT', `timeout expired: no answer to the TLS request within ${timeoutMs / 1000} s`);
  } catch (error) {
    return step('TLS', 'fail', 'the TLS handshake failed', [], explainError(errorLike(error), config));
  }
  if (!result.offered) {
    return step('TLS', 'fail', `the server does not accept TLS, but sslmode=${config.sslMode} requires it`, [], {
      ...explainError({ code: 'TLS_NOT_OFFERED', message: 'The server does not support SSL connections' }, config),
    });
  }

  const { socket } = result;
  const certificate = socket.getPeerCertificate();
  const protocol = socket.getProtocol() ?? 'TLS';
  const chain = chainError(socket);
  socket.destroy();

  const validTo = new Date(certificate.valid_to);
  const daysLeft = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
  const identityError = checkServerIdentity(config.host, certificate);
  const details = [
    `certificate: ${name(certificate.subject)}, issued by ${name(certificate.issuer)}, valid until ${validTo.toISOString().slice(0, 10)} (${days(daysLeft)})`,
    chain === undefined ? `chain: verified against ${trusted}` : `chain: not verified against ${trusted}: ${chain.message}`,
    identityError === undefined ? `host name: the certificate names ${config.host}` : `host name: ${identityError.message}`,
  ];
  const summary = `${protocol}, certificate ${name(certificate.subject)} issued by ${name(certificate.issuer)}`;

  const verifies = config.sslMode === 'verify-ca' || config.sslMode === 'verify-full';
  if (verifies && chain !== undefined) {
    return step('TLS', 'fail', `${summary}: the chain does not verify (sslmode=${config.sslMode})`, details, explainError(chain, config));
  }
  if (config.sslMode === 'verify-full' && identityError !== undefined) {
    return step('TLS', 'fail', `${summary}: not for host ${config.host} (sslmode=verify-full)`, details, explainError(errorLike(identityError), config));
  }
  const checked = { require: 'encrypted, certificate not checked (sslmode=require)', 'verify-ca': 'chain verified (sslmode=verify-ca)', 'verify-full': 'chain and host name verified (sslmode=verify-full)' }[config.sslMode];
  if (daysLeft < 0) details.push('warning: the certificate has expired');
  else if (daysLeft < WARN_DAYS_BEFORE_EXPIRY) details.push(`warning: the certificate expires in ${days(daysLeft)}`);
  return step('TLS', daysLeft < WARN_DAYS_BEFORE_EXPIRY ? 'warn' : 'ok', `${summary}; ${checked}`, details);
}
