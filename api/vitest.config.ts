// A relative path: Vitest bundles the config's own files, while it leaves packages to Node, which reads no TypeScript.
import { selectDialects } from '../test-kit/src/dialects.js';
import { defineConfig } from 'vitest/config';

// The multi-instance project needs PostgreSQL: several processes cannot share one SQLite file over the network.
const withPostgres = selectDialects().includes('postgres');

export default defineConfig({
  // The contract workspace's TypeScript sources, as the type-checker sees them (no build needed).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    // Registration hashes with 1,000,000 PBKDF2 iterations, and each file creates its own databases.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'api', include: ['test/**/*.test.ts'] } },
      // The contract suite again, through three API processes on one database (see test/multi-instance/).
      ...(withPostgres
        ? [{ extends: true as const, test: { name: 'multi-instance', include: ['test/contract.test.ts'], globalSetup: ['test/multi-instance/three-instances.ts'] } }]
        : []),
    ],
  },
});
