import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Port 3000 in development and preview alike, as in the workshop's containers.
const clientPort = { port: 3000, strictPort: true };

export default defineConfig({
  plugins: [react()],
  server: clientPort,
  preview: clientPort,
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/testing/setup.ts'],
          restoreMocks: true,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.ts'],
          // Each journey builds the client and starts the API and a browser once per database.
          hookTimeout: 180_000,
          testTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
