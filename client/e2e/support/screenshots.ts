import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { testResultsDir } from './paths';

/** Saves full-page screenshots as test-results/screenshots/<run>/<name>.png (git ignores test-results/). */
export function screenshotTaker(run: string) {
  const dir = path.join(testResultsDir, 'screenshots', run);
  return async (page: Page, name: string) => {
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  };
}
