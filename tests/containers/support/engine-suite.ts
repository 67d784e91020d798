import { describe, test } from 'vitest';
import { engine, engineRequired } from './docker.js';

/**
 * `describe` for tests that need a Docker engine. Without one they are skipped, the reason in
 * their title, unless an engine is required (CI), where the missing engine is a failure.
 */
export function describeOnEngine(name: string, body: () => void): void {
  const found = engine;
  if (found.available) {
    describe(name, body);
  } else if (engineRequired()) {
    describe(name, () => {
      test('has a Docker engine to run on', () => {
        throw new Error(found.reason);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${found.reason})`, body);
  }
}
