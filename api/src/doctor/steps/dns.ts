import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { PostgresConfig } from '../../config/config.js';
import { errorLike, explainError } from '../known-errors.js';
import { step, type StepResult } from '../step-result.js';
import { withTimeLimit } from '../time-limit.js';

const PRIVATE_ADDRESS = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|f[cd][0-9a-f]{2}:)/i;

/** Step 2: the host name resolves (as node-postgres will resolve it: the system's resolver, /etc/hosts included). */
export async function checkDns(config: PostgresConfig, timeoutMs: number): Promise<StepResult> {
  if (isIP(config.host) !== 0) return step('DNS', 'ok', `${config.host} is an address: nothing to look up`);
  const started = Date.now();
  try {
    const addresses = (await withTimeLimit(lookup(config.host, { all: true }), timeoutMs, 'EAI_AGAIN', `DNS lookup of ${config.host} timed out`)).map(
      (entry) => entry.address,
    );
    const summary = `${config.host} → ${addresses.join(', ')} (${Date.now() - started} ms)`;
    if (config.host.endsWith('.rds.amazonaws.com') && addresses.every((address) => PRIVATE_ADDRESS.test(address))) {
      return step('DNS', 'warn', summary, [
        'warning: only private addresses: RDS gives a public address only to a publicly accessible instance, so from outside its VPC this will not connect (RDS → Modify → Connectivity → Publicly accessible: Yes)',
      ]);
    }
    return step('DNS', 'ok', summary);
  } catch (error) {
    const problem = explainError(errorLike(error), config);
    return step('DNS', 'fail', `${config.host} does not resolve`, [], problem);
  }
}
