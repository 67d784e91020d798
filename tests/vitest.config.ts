import { defineConfig } from 'vitest/config';

const imageBuilds = 'containers/engine/images.test.ts';

/**
 * The checks of the delivery files run with the image builds; the tests that run containers
 * start once every image has been built, so that they share the build instead of racing to make it.
 */
export default defineConfig({
  // The contract workspace's TypeScript sources (its suite runs against the containers).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'delivery files',
          include: ['pipeline/**/*.test.ts', 'containers/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'images',
          include: [imageBuilds],
          sequence: { groupOrder: 0 },
          // A cold build compiles better-sqlite3 on a two-core machine.
          testTimeout: 1_200_000,
          hookTimeout: 1_200_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'containers',
          include: ['containers/engine/**/*.test.ts'],
          exclude: [imageBuilds],
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 1_200_000,
        },
      },
    ],
  },
});
