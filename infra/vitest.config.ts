import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each configuration is synthesized once, before the tests, and its template shared by every test file.
    globalSetup: ['test/support/synthesize-configurations.ts'],
    testTimeout: 60_000,
  },
});
