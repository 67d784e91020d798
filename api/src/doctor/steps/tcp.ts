import { connect } from 'node:net';
import type { PostgresConfig } from '../../config/config.js';
import { errorLike, explainError } from '../known-errors.js';
import { step, type StepResult } from '../step-result.js';

/** Step 3: something accepts a TCP connection on the port, within the time limit. */
export async function checkTcp(config: PostgresConfig, timeoutMs: number): Promise<StepResult> {
  const started = Date.now();
  const where = `${config.host}:${config.port}`;
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: config.host, port: config.port });
      socket.setTimeout(timeoutMs, () => {
        socket.destroy();
        reject(Object.assign(new Error(`connect ETIMEDOUT ${where}: no answer within ${timeoutMs / 1000} s`), { code: 'TCP_TIMEOUT' }));
      });
      socket.once('connect', () => {
        const remote = `${socket.remoteAddress}:${socket.remotePort}`;
        socket.destroy();
        resolve(remote);
      });
      socket.once('error', reject);
    });
    return step('TCP', 'ok', `${address} accepts connections (${Date.now() - started} ms)`);
  } catch (error) {
    const details = errorLike(error);
    const timedOut = details.code === 'TCP_TIMEOUT' || details.code === 'ETIMEDOUT';
    return step('TCP', 'fail', timedOut ? `${where} did not answer within ${timeoutMs / 1000} s` : `cannot connect to ${where}`, [], explainError(details, config));
  }
}
