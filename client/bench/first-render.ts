/**
 * Prints the production bundle size (gzipped JS and CSS) and how soon All Rocks shows its rocks in
 * headless Chromium: the real API on a fresh SQLite file, the client built for it and served by
 * `vite preview`, every load in a new browser profile (nothing cached) unless noted.
 *
 *   npm run bench --workspace client          (RUNS=30 for more loads)
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startApi } from '../e2e/support/api-process';
import { launchBrowser } from '../e2e/support/browser';
import { buildClient, serveClient } from '../e2e/support/client-build';
import { createTestDatabase } from '../e2e/support/test-database';

const RUNS = Number(process.env.RUNS ?? 15);
const WARM_UP_RUNS = 2;
/** John's token from the sample data, so that the page opens signed in. */
const SAMPLE_TOKEN = 'abcdef123456';

interface Timings {
  firstContentfulPaint: number;
  rocksInDom: number;
  rocksPainted: number;
}

async function bundleSizes(outDir: string) {
  const assetsDir = path.join(outDir, 'assets');
  const totals = { js: { raw: 0, gzip: 0, files: 0 }, css: { raw: 0, gzip: 0, files: 0 } };
  for (const file of await readdir(assetsDir)) {
    const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : null;
    if (kind === null) continue;
    const content = await readFile(path.join(assetsDir, file));
    totals[kind].raw += content.length;
    // Level 9, as in Vite's own build report.
    totals[kind].gzip += gzipSync(content, { level: 9 }).length;
    totals[kind].files += 1;
  }
  return totals;
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

async function loadAllRocks(browser: Browser, url: string, loads: number): Promise<Timings[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((token) => localStorage.setItem('rock_token', JSON.stringify({ token })), SAMPLE_TOKEN);
  await context.addInitScript(watchForRocks);
  const page = await context.newPage();
  const timings: Timings[] = [];
  for (let load = 0; load < loads; load += 1) {
    await page.goto(`${url}/allrocks`);
    await page.waitForFunction(() => '__rocksPainted' in window);
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

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
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

async function main() {
  const database = await createTestDatabase('sqlite');
  const api = await startApi(database.apiEnv);
  const build = await buildClient(api.url);
  const client = await serveClient(build.outDir);
  const browser = await launchBrowser();
  try {
    const sizes = await bundleSizes(build.outDir);
    console.log('Production bundle (vite build, gzip -9):');
    console.log(`  JS   ${kB(sizes.js.gzip)} gzipped (${kB(sizes.js.raw)} raw, ${sizes.js.files} file(s))`);
    console.log(`  CSS  ${kB(sizes.css.gzip)} gzipped (${kB(sizes.css.raw)} raw, ${sizes.css.files} file(s))`);

    await loadAllRocks(browser, client.url, WARM_UP_RUNS);
    const cold: Timings[] = [];
    for (let run = 0; run < RUNS; run += 1) cold.push(...(await loadAllRocks(browser, client.url, 1)));
    printTimings('All Rocks, cold: a new browser profile for every load', cold);
    printTimings('All Rocks, warm: reloads in one profile (assets cached)', await loadAllRocks(browser, client.url, RUNS));
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
