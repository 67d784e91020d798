import preact from '@preact/preset-vite';
import { visualizer } from 'rollup-plugin-visualizer';
import { defaultClientConditions, loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';

// Port 3000 in development and preview alike, as in the workshop's containers.
const clientPort = { port: 3000, strictPort: true };

/**
 * The app is written against React's API and types and runs on Preact's compatibility layer: the same
 * components for a tenth of React DOM's download (see README, "Choices").
 */
const preactInPlaceOfReact = [
  { find: /^react(-dom)?$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react\/jsx(-dev)?-runtime$/, replacement: 'preact/jsx-runtime' },
];

/**
 * `vite preview` (`npm start`) serves the production build, which calls /api on its own origin: route
 * that to the API, prefix removed, as the CloudFront distribution does.
 */
function apiBehindPreview(mode: string) {
  const target = loadEnv(mode, import.meta.dirname, 'VITE_').VITE_API_URL || 'http://localhost:8000';
  return { '/api': { target, changeOrigin: true, rewrite: (path: string) => path.replace(/^\/api/, '') } };
}

/**
 * The dev server's hot updates: Preact's preset brings Prefresh, which swaps an edited component in the
 * open page and keeps its state. Only there: builds and tests need nothing of it, and keep the aliases above.
 */
function hotUpdates(command: string, mode: string) {
  return command === 'serve' && mode === 'development' ? preact({ reactAliasesEnabled: false, devToolsEnabled: false, prerender: { enabled: false } }) : [];
}

export default defineConfig(({ command, mode }) => ({
  plugins: [
    hotUpdates(command, mode),
    // `npm run analyze`: what each module weighs in the bundle, gzipped, as a treemap.
    mode === 'analyze' ? visualizer({ filename: 'test-results/bundle-analysis.html', gzipSize: true, template: 'treemap' }) : [],
  ],
  // "source": the contract workspace's TypeScript, bundled as it is (no build of it needed).
  resolve: { alias: preactInPlaceOfReact, conditions: ['source', ...defaultClientConditions] },
  build: {
    // TanStack Query marks its modules "use client" for server-rendering frameworks; this app has none.
    rolldownOptions: { checks: { moduleLevelDirective: false } },
  },
  server: clientPort,
  preview: { ...clientPort, proxy: apiBehindPreview(mode) },
  test: {
    projects: [
      {
        extends: true,
        // ES modules, which the aliases reach, rather than CommonJS builds that require() React itself.
        resolve: { conditions: ['source', 'module', 'browser'] },
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/testing/setup.ts'],
          restoreMocks: true,
          // The libraries that import React go through Vite as well, so that they get Preact too.
          server: { deps: { inline: [/preact/, /@testing-library\/react/, /@tanstack\/react-query/, /react-router/] } },
          alias: [{ find: /^@testing-library\/react$/, replacement: '@testing-library/react/dist/@testing-library/react.esm.js' }],
        },
      },
      {
        test: {
          name: 'scripts',
          environment: 'node',
          include: ['scripts/**/*.test.ts'],
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
}));
