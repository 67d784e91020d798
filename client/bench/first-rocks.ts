/** Loads All Rocks in headless Chromium, signed in as John, and notes when its first rocks appear. */
import type { Browser } from 'playwright-core';

/** John's token from the sample data, so that the page opens signed in. */
export const SAMPLE_TOKEN = 'abcdef123456';
const VIEWPORT = { width: 1280, height: 800 };

export interface Timings {
  firstContentfulPaint: number;
  rocksInDom: number;
  rocksPainted: number;
}

/** Runs in the page before the app: notes when the first rock card enters the DOM, and the frame after. */
function watchForRocks() {
  const marks = window as unknown as Record<string, number>;
  const observer = new MutationObserver(() => {
    if (document.querySelector('article.rock-card') === null) return;
    observer.disconnect();
    marks.__rocksInDom = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => (marks.__rocksPainted = performance.now())));
  });
  observer.observe(document, { childList: true, subtree: true });
}

export async function signedInContext(browser: Browser) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript((token) => localStorage.setItem('rock_token', JSON.stringify({ token })), SAMPLE_TOKEN);
  await context.addInitScript(watchForRocks);
  return context;
}

export async function loadAllRocks(browser: Browser, url: string, loads: number): Promise<Timings[]> {
  const context = await signedInContext(browser);
  const page = await context.newPage();
  const timings: Timings[] = [];
  for (let load = 0; load < loads; load += 1) {
    await page.goto(`${url}/allrocks`);
    await page.waitForFunction(() => '__rocksPainted' in window, undefined, { timeout: 120_000 });
    timings.push(
      await page.evaluate(() => {
        const marks = window as unknown as Record<string, number>;
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return { firstContentfulPaint: paint?.startTime ?? Number.NaN, rocksInDom: marks.__rocksInDom ?? Number.NaN, rocksPainted: marks.__rocksPainted ?? Number.NaN };
      }),
    );
  }
  await context.close();
  return timings;
}

