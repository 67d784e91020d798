import { defineConfig } from 'vitest/config';

const imageBuilds = 'containers/engine/images.test.ts';

/**
 * The checks of the delivery files run with the image builds; the tests that run containers
 * start once every image has been built, so that they share the build instead of racing to make it.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'delivery files',
          include: ['pipeline/**/*.test.ts', 'containers/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
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
