import { isIP } from 'node:net';
import type { AppConfig } from './config.js';

/** Names and addresses that never leave the machine: localhost, 127.0.0.0/8, ::1, and Unix sockets. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost') || bare.startsWith('/')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * Why this API's data can be reached from outside this machine, one reason a line; empty when it
 * cannot: the API listens on an address other than loopback, or the database is PostgreSQL on
 * another host (which other servers, such as more API instances, can reach too).
 */
export function reachableFromOutside(config: Pick<AppConfig, 'host' | 'database'>): string[] {
  const reasons: string[] = [];
  if (!isLoopback(config.host)) reasons.push(`the API listens on ${config.host}`);
  if (config.database.dialect === 'postgres' && !isLoopback(config.database.host)) {
    reasons.push(`the database is at ${config.database.host}`);
  }
  return reasons;
}
