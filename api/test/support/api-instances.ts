import { runApi, type ApiProcess } from '@rock-of-ages/test-kit';

/** One API server process, as a load balancer would see it: an address and an identity. */
export interface ApiInstance {
  instanceId: string;
  baseUrl: string;
  port: number;
  process: ApiProcess;
}

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:(\d+))/;

/** `db:setup` once, as the deploy's one-off task runs it before any server starts; fails unless it exits 0. */
export async function setUpDatabaseOnce(env: Record<string, string>): Promise<string> {
  const setup = runApi('cli', { SEED: 'sample', ...env }, ['setup']);
  const code = await setup.exited;
  if (code !== 0) throw new Error(`db:setup exited ${code}:\n${setup.output()}`);
  return setup.output();
}

/**
 * Starts `count` server processes at the same moment, each with its own INSTANCE_ID, and waits until
 * every one listens on its own free port.
 */
export async function startInstances(count: number, env: Record<string, string>, idPrefix = 'api'): Promise<ApiInstance[]> {
  const processes = Array.from({ length: count }, (_, index) => {
    const instanceId = `${idPrefix}-${index + 1}`;
    return { instanceId, process: runApi('server', { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', INSTANCE_ID: instanceId, ...env }) };
  });
  try {
    return await Promise.all(
      processes.map(async ({ instanceId, process }) => {
        const [, baseUrl = '', port = ''] = await process.waitFor(LISTENING, 60_000);
        return { instanceId, baseUrl, port: Number(port), process };
      }),
    );
  } catch (error) {
    await stopInstances(processes.map(({ process }) => process));
    throw error;
  }
}

/** SIGTERM to every process still running, then SIGKILL to any that has not exited within 20 seconds. */
export async function stopInstances(processes: ApiProcess[]): Promise<void> {
  await Promise.all(processes.map((process) => process.stop()));
}

/** The environment that makes the sample users' many logins in a test pass every limit (each is tested elsewhere). */
export const LIMITS_OFF = { AUTH_RATE_LIMIT: '0', REGISTER_RATE_LIMIT: '0', LOGIN_FAILURE_LIMIT: '0' } as const;
