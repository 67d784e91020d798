import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Registration hashes with 1,000,000 PBKDF2 iterations, and each file creates its own databases.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
