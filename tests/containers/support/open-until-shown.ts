import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page, Request } from 'playwright-core';

/**
 * Opens `url` until `shown` is visible. Chromium fails every request in flight when the host's
 * network interfaces change (net::ERR_NETWORK_CHANGED), as they do whenever Docker starts or stops a
 * container, and a dev page whose module requests failed stays blank: like a developer, load it
 * again, a few times at most. Any other failure ends it, saying what the page met.
 *
 * Returns the page errors of the attempt that showed the page, and every later one: an attempt the
 * network change cut may leave errors of its own (a module that failed to load).
 */
export async function openUntilShown(page: Page, url: string, shown: Locator, serverLogs: () => Promise<string>): Promise<string[]> {
  const seen: string[] = [];
  let pageErrors: string[] = [];
  page.on('pageerror', (error) => {
    seen.push(`page error: ${error.message}`);
    pageErrors.push(error.message);
  });
  page.on('requestfailed', (request) => seen.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`));
  page.on('response', (response) => response.status() >= 400 && seen.push(`${response.status()} ${response.url()}`));
  for (let attempt = 1; ; attempt += 1) {
    let onFailure = (_request: Request) => {};
    const networkChanged = new Promise<'network changed'>((resolve) => {
      onFailure = (request) => request.failure()?.errorText === 'net::ERR_NETWORK_CHANGED' && resolve('network changed');
    });
    page.on('requestfailed', onFailure);
    seen.push(`attempt ${attempt}: ${url}`);
    pageErrors = [];
    try {
      // The page itself can be what the change cuts: counted above, and tried again below.
      await page.goto(url).catch((error: Error) => {
        if (!error.message.includes('ERR_NETWORK_CHANGED')) throw error;
      });
      const visible = shown.waitFor().then(() => 'shown' as const);
      // Still waiting when the network changes first; the next attempt has a waiter of its own.
      visible.catch(() => {});
      if ((await Promise.race([visible, networkChanged])) === 'shown') return pageErrors;
      if (attempt === 3) throw new Error('the network changed under every attempt');
    } catch (error) {
      throw new Error(`${(error as Error).message}\nThe page met:\n${seen.join('\n')}\nThe server logged:\n${(await serverLogs()).slice(-3000)}`);
    } finally {
      page.off('requestfailed', onFailure);
    }
    await sleep(1_000);
  }
}
