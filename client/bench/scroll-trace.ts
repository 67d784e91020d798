import type { Browser, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

export interface MainThreadTasks {
  longestMs: number;
  /** Tasks of 50 ms or more: what Chromium calls long tasks, the ones a user feels as jank. */
  longTasks: number;
  blockingMs: number;
}

/** The renderer's main-thread tasks in a Chromium trace, from the busiest renderer (the page's). */
function mainThreadTasks(trace: { traceEvents: TraceEvent[] }): MainThreadTasks {
  const mainThreads = new Set(
    trace.traceEvents.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`),
  );
  const byThread = new Map<string, number[]>();
  for (const event of trace.traceEvents) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.name !== 'RunTask' || event.ph !== 'X' || !mainThreads.has(thread)) continue;
    byThread.set(thread, [...(byThread.get(thread) ?? []), (event.dur ?? 0) / 1000]);
  }
  const total = (tasks: number[]) => tasks.reduce((sum, task) => sum + task, 0);
  const tasks = [...byThread.values()].sort((a, b) => total(b) - total(a))[0] ?? [];
  const long = tasks.filter((task) => task >= 50);
  return { longestMs: Math.max(0, ...tasks), longTasks: long.length, blockingMs: total(long.map((task) => task - 50)) };
}

const nextFrames = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** Keyboard scrolling may animate: wait until the position holds for a few frames. */
async function scrollSettled(page: Page): Promise<void> {
  // Inline callbacks only: page functions are sent as source, without the bundler's helpers.
  await page.evaluate(() => Object.assign(window, { __still: 0, __lastY: -1 }));
  await page.waitForFunction(
    () => {
      const state = window as unknown as { __still: number; __lastY: number };
      state.__still = window.scrollY === state.__lastY ? state.__still + 1 : 0;
      state.__lastY = window.scrollY;
      return state.__still >= 5;
    },
    undefined,
    { polling: 'raf' },
  );
}

/**
 * Scrolls the page as a reader would (mouse-wheel steps, each followed by two frames), then jumps to
 * the end and back with the keyboard, recording a trace of it all.
 */
export async function traceScrolling(browser: Browser, page: Page, { steps = 40, stepPx = 900 } = {}): Promise<MainThreadTasks> {
  await page.mouse.move(640, 400);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  for (let step = 0; step < steps; step += 1) {
    await page.mouse.wheel(0, stepPx);
    await nextFrames(page);
  }
  await page.keyboard.press('End');
  await scrollSettled(page);
  await page.keyboard.press('Home');
  await scrollSettled(page);
  const buffer = await browser.stopTracing();
  return mainThreadTasks(JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] });
}
