import { inject } from 'vitest';
import { DIALECTS } from './test-database.js';
import { startTestServer } from './test-server.js';

/** What the contract suite talks to: one address per request, and the instance that answered the last one. */
export interface ContractServer {
  readonly baseUrl: string;
  readonly instanceId: string;
  close: () => Promise<void>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the multi-instance project's global setup: API processes sharing one PostgreSQL database. */
    apiInstances?: { instanceId: string; baseUrl: string }[];
  }
}

/**
 * The servers the contract suite runs against: by default a fresh in-process server per dialect; in the
 * multi-instance project, the API processes its global setup started, taken in turn for every request
 * (round robin, as a load balancer spreads them), so that consecutive steps of a flow reach different
 * processes and pass only through the database they share.
 */
export function contractTargets(): [name: string, start: () => Promise<ContractServer>][] {
  const instances = inject('apiInstances');
  if (instances !== undefined) {
    return [[`PostgreSQL behind ${instances.length} API processes, round robin`, async () => roundRobin(instances)]];
  }
  return DIALECTS.map((dialect) => [
    dialect,
    async () => {
      const server = await startTestServer(dialect);
      return { baseUrl: server.baseUrl, instanceId: 'test-instance', close: server.close };
    },
  ]);
}

function roundRobin(instances: { instanceId: string; baseUrl: string }[]): ContractServer {
  let next = 0;
  let last = instances[0];
  return {
    get baseUrl() {
      last = instances[next++ % instances.length];
      return last?.baseUrl ?? '';
    },
    get instanceId() {
      return last?.instanceId ?? '';
    },
    // The global setup stops the processes.
    close: async () => {},
  };
}
