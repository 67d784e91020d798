/**
 * Prints what the client costs a visitor: the production bundle per chunk (gzipped), how soon All
 * Rocks shows its first rocks (the sample data, then 10,000 rocks; cold and warm loads), and the
 * longest main-thread task while scrolling the 10,000 rocks. The real API runs on a fresh SQLite
 * file; the client is built and served by `vite preview`, in headless Chromium. Asserts nothing.
 *
 *   npm run bench --workspace client          (RUNS=15 for more loads, MANY_ROCKS=20000 for more rocks)
 */
import { createApiDatabase, startApi } from '@rock-of-ages/test-kit';
import type { Browser } from 'playwright-core';
import { addRocks } from '../e2e/support/add-rocks';
import { launchBrowser } from '../e2e/support/browser';
import { buildClient, serveClient } from '../e2e/support/client-build';
import { printChunks, readChunks } from './bundle-report';
import { loadAllRocks, SAMPLE_TOKEN, signedInContext, type Timings } from './first-rocks';
import { traceScrolling } from './scroll-trace';

const RUNS = Number(process.env.RUNS ?? 9);
const MANY_ROCKS = Number(process.env.MANY_ROCKS ?? 10_000);
const WARM_UP_RUNS = 2;

const ms = (value: number) => value.toFixed(0).padStart(8);

function summarize(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? Number.NaN;
  return `  ${label.padEnd(26)}${ms(at(0))}${ms(at(0.5))}${ms(at(0.9))}${ms(sorted.at(-1) ?? Number.NaN)}`;
}

function printTimings(title: string, timings: Timings[]) {
  console.log(`\n${title} (ms from navigation start, ${timings.length} loads)`);
  console.log(`  ${''.padEnd(26)}${['min', 'median', 'p90', 'max'].map((heading) => heading.padStart(8)).join('')}`);
  console.log(summarize('first contentful paint', timings.map((t) => t.firstContentfulPaint)));
  console.log(summarize('rocks in the DOM', timings.map((t) => t.rocksInDom)));
  console.log(summarize('rocks painted (next frame)', timings.map((t) => t.rocksPainted)));
}

async function measureFirstRocks(browser: Browser, url: string, label: string) {
  await loadAllRocks(browser, url, WARM_UP_RUNS);
  const cold: Timings[] = [];
  for (let run = 0; run < RUNS; run += 1) cold.push(...(await loadAllRocks(browser, url, 1)));
  printTimings(`All Rocks with ${label}, cold: a new browser profile for every load`, cold);
  printTimings(`All Rocks with ${label}, warm: reloads in one profile (assets cached)`, await loadAllRocks(browser, url, RUNS));
}

async function measureScrolling(browser: Browser, url: string) {
  const context = await signedInContext(browser);
  const page = await context.newPage();
  await page.goto(`${url}/allrocks`);
  await page.waitForFunction(() => '__rocksPainted' in window, undefined, { timeout: 120_000 });
  await page.waitForLoadState('networkidle');
  const tasks = await traceScrolling(browser, page);
  await context.close();
  console.log(`\nScrolling All Rocks with ${MANY_ROCKS.toLocaleString('en')} rocks (40 wheel steps of 900 px, then End and Home), main thread:`);
  console.log(`  longest task ${tasks.longestMs.toFixed(0)} ms; ${tasks.longTasks} task(s) of 50 ms or more, ${tasks.blockingMs.toFixed(0)} ms blocking in all`);
}

async function main() {
  const database = await createApiDatabase('sqlite', 'rock_bench');
  const api = await startApi({ ...database.env, LOG_LEVEL: 'info', CORS_ORIGINS: '' }, { built: true });
  const build = await buildClient();
  const client = await serveClient(build, { apiUrl: api.baseUrl });
  const browser = await launchBrowser();
  try {
    printChunks(await readChunks(build.outDir));
    await measureFirstRocks(browser, client.url, 'the sample data (3 rocks)');
    await addRocks(api.baseUrl, SAMPLE_TOKEN, MANY_ROCKS);
    await measureFirstRocks(browser, client.url, `${MANY_ROCKS.toLocaleString('en')} more rocks`);
    await measureScrolling(browser, client.url);
    console.log(`\nHeadless Chromium ${browser.version()}, API and client on 127.0.0.1, ${RUNS} measured loads after ${WARM_UP_RUNS} warm-up loads.`);
  } finally {
    await browser.close();
    await client.close();
    await build.remove();
    await api.stop();
    await database.drop();
  }
}

await main();
