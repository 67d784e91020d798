import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { selectDialects } from '@rock-of-ages/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROCKS_PER_PAGE } from '../src/features/rocks/rocks-per-page';
import { seriousAccessibilityViolations } from './support/accessibility';
import { addRocks } from './support/add-rocks';
import { startAppStack, type AppStack } from './support/app-stack';
import { launchBrowser, openPage, type OpenPage } from './support/browser';
import { serveClient } from './support/client-build';
import { tabTo, typeInto } from './support/keyboard';
import { screenshotTaker } from './support/screenshots';

/** Runs in the page: counts DOM changes after which it says both "was added" and "No rocks yet". */
function recordContradictions() {
  const state = window as unknown as { __contradictions: number };
  state.__contradictions = 0;
  new MutationObserver(() => {
    const text = document.body.textContent ?? '';
    if (text.includes('was added to your collection') && text.includes('No rocks yet')) state.__contradictions += 1;
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}

/** How long a poll waits for the page, as long as page.waitFor does: the machine may be busy. */
const PATIENCE = { timeout: 15_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(selectDialects())('%s', (dialect) => {
  let stack: AppStack;
  let opened: OpenPage;
  let page: Page;
  const takeScreenshot = screenshotTaker(dialect);
  /** Every screen of the journey is photographed and scanned by axe-core: no serious or critical finding. */
  const screenshot = async (shown: Page, name: string) => {
    await takeScreenshot(shown, name);
    expect(await seriousAccessibilityViolations(shown), `accessibility of ${name}`).toEqual([]);
  };
  const pathname = () => new URL(page.url()).pathname;
  const rockCard = (name: string) => page.getByRole('article', { name, exact: true });

  beforeAll(async () => {
    stack = await startAppStack(dialect);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // Every test starts signed out, in a browser profile of its own.
  beforeEach(async () => {
    opened = await openPage(browser);
    page = opened.page;
  });
  afterEach(async () => {
    await opened.close();
    expect(opened.pageErrors).toEqual([]);
  });

  async function signIn(email: string, password: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it(`${dialect}: a newcomer registers, collects a rock, finds it in All Rocks and My Rocks, deletes it, and logs out; then John sees only his rocks`, async () => {
    const suffix = randomBytes(3).toString('hex');
    const rockName = `Pebble ${suffix}`;

    // Register a new member: signed in at once, on the welcome page.
    await page.goto(`${stack.clientUrl}/register`);
    await screenshot(page, '02-register');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Stone');
    await page.getByLabel('Email').fill(`ada.${suffix}@example.com`);
    await page.getByLabel('Password').fill('granite-and-basalt');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Welcome to Rock of Ages' }).waitFor();
    expect(pathname()).toBe('/');
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('rock_token'))) ?? '{}')).toEqual({ token: expect.any(String) });
    await screenshot(page, '03-home');

    // My Rocks starts empty.
    await page.getByRole('navigation').getByRole('link', { name: 'My Rocks' }).click();
    await page.getByText('No rocks yet — collect one').waitFor();

    // Collect a rock: the form checks its fields first, then the rock is saved.
    await page.getByRole('navigation').getByRole('link', { name: 'Collect a Rock' }).click();
    await page.getByRole('option', { name: 'Basalt' }).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Collect rock' }).click();
    await page.getByText('Give your rock a name').waitFor();
    await screenshot(page, '04-collect-rock-validation');
    await page.getByLabel('Name').fill(rockName);
    await page.getByLabel('Weight in kg').fill('2.5');
    await page.getByLabel('Type').selectOption({ label: 'Basalt' });
    await screenshot(page, '05-collect-rock');
    await page.evaluate(recordContradictions);
    await page.getByRole('button', { name: 'Collect rock' }).click();

    // It is in My Rocks, weighed and typed as the API stored it, and at no moment did the page say
    // both "added" and "no rocks"...
    await page.getByText(`${rockName} was added to your collection.`).waitFor();
    expect(pathname()).toBe('/mine');
    expect(await page.evaluate(() => (window as unknown as { __contradictions: number }).__contradictions)).toBe(0);
    await expect(rockCard(rockName).textContent()).resolves.toMatch(/Basalt.*2\.50 kg.*Ada Stone/s);
    await screenshot(page, '06-my-rocks');

    // ...and in All Rocks, among everyone else's.
    await page.getByRole('navigation').getByRole('link', { name: 'All Rocks' }).click();
    await rockCard(rockName).waitFor();
    await expect(rockCard('Ernestina').textContent()).resolves.toMatch(/Sedimentary.*1\.30 kg.*Jane Smith/s);
    await screenshot(page, '07-all-rocks');

    // Delete it from My Rocks, confirming first: it is gone without a reload.
    await page.getByRole('navigation').getByRole('link', { name: 'My Rocks' }).click();
    await page.getByRole('button', { name: `Delete ${rockName}` }).click();
    await screenshot(page, '08-my-rocks-confirm-delete');
    await page.getByRole('group', { name: `Delete ${rockName} for good?` }).getByRole('button', { name: `Delete ${rockName}` }).click();
    await rockCard(rockName).waitFor({ state: 'detached' });
    await page.getByText('No rocks yet — collect one').waitFor();
    await screenshot(page, '09-my-rocks-empty');

    // Gone from All Rocks too, for this reader and for the API.
    await page.getByRole('navigation').getByRole('link', { name: 'All Rocks' }).click();
    await rockCard('Ernestina').waitFor();
    expect(await rockCard(rockName).count()).toBe(0);

    // Log out: back to sign-in, with the token forgotten.
    await page.getByRole('button', { name: 'Logout' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pathname()).toBe('/login');
    expect(await page.evaluate(() => localStorage.getItem('rock_token'))).toBeNull();

    // John signs in: his rocks are Orpha, and Jane's Ernestina is not among them.
    await signIn('john@example.com', 'password');
    await page.getByRole('heading', { name: 'Welcome to Rock of Ages' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'My Rocks' }).click();
    await rockCard('Orpha').waitFor();
    expect(await rockCard('Ernestina').count()).toBe(0);
    await screenshot(page, '10-my-rocks-john');
  });

  it(`${dialect}: a wrong password shows the error and stays on the sign-in page`, async () => {
    await page.goto(`${stack.clientUrl}/login`);
    await signIn('john@example.com', 'not-the-password');

    await page.getByRole('alert').getByText('That e-mail and password do not match an account.').waitFor();
    expect(pathname()).toBe('/login');
    expect(await page.evaluate(() => localStorage.getItem('rock_token'))).toBeNull();
    await screenshot(page, '11-login-wrong-password');
  });

  it(`${dialect}: a signed-out visit to /mine lands on /login`, async () => {
    await page.goto(`${stack.clientUrl}/mine`);

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pathname()).toBe('/login');
    await screenshot(page, '01-login');
  });

  it(`${dialect}: with the keyboard alone, a newcomer registers, collects a rock, deletes it, logs out and signs in again`, async () => {
    const suffix = randomBytes(3).toString('hex');
    const rockName = `Keyed ${suffix}`;
    const email = `kay.${suffix}@example.com`;

    // Registration: Tab from field to field, Enter sends the form.
    await page.goto(`${stack.clientUrl}/register`);
    await page.getByRole('heading', { name: 'Register' }).waitFor();
    await typeInto(page, 'First name', 'Kay');
    await typeInto(page, 'Last name', 'Board');
    await typeInto(page, 'Email', email);
    await typeInto(page, 'Password', 'quartz-and-feldspar');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Welcome to Rock of Ages' }).waitFor();

    // Collect a Rock through the navigation; the type is chosen by typing its name on the select.
    await tabTo(page, 'Collect a Rock');
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'Basalt' }).waitFor({ state: 'attached' });
    await tabTo(page, 'Collect rock');
    await page.keyboard.press('Enter');
    await page.getByText('Give your rock a name').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')), PATIENCE).toBe('name');
    await page.keyboard.type(rockName);
    await typeInto(page, 'Weight in kg', '3.75');
    await tabTo(page, 'Type');
    await page.keyboard.type('Basalt');
    expect(await page.getByLabel('Type').evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Basalt');
    await tabTo(page, 'Collect rock');
    await page.keyboard.press('Enter');
    await page.getByText(`${rockName} was added to your collection.`).waitFor();

    // Delete, confirm, and the rock is gone: the question takes the focus, on "Keep it".
    await tabTo(page, `Delete ${rockName}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), PATIENCE).toBe('Keep it');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await rockCard(rockName).waitFor({ state: 'detached' });
    await page.getByText('No rocks yet — collect one').waitFor();

    // Log out, and sign in again with Tab and Enter.
    await tabTo(page, 'Logout');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await typeInto(page, 'Email', email);
    await typeInto(page, 'Password', 'quartz-and-feldspar');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Welcome to Rock of Ages' }).waitFor();
  });

  it(`${dialect}: every screen says what it is in the title, and an unknown path says it was not found`, async () => {
    await page.goto(`${stack.clientUrl}/login`);
    await expect.poll(() => page.title(), PATIENCE).toBe('Sign in · Rock of Ages');
    await signIn('john@example.com', 'password');
    await expect.poll(() => page.title(), PATIENCE).toBe('Rock of Ages');
    for (const [link, title] of [
      ['All Rocks', 'All Rocks · Rock of Ages'],
      ['My Rocks', 'My Rocks · Rock of Ages'],
      ['Collect a Rock', 'Collect a Rock · Rock of Ages'],
    ]) {
      await page.getByRole('navigation').getByRole('link', { name: link }).click();
      await expect.poll(() => page.title(), PATIENCE).toBe(title);
    }

    await page.goto(`${stack.clientUrl}/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expect.poll(() => page.title(), PATIENCE).toBe('Page not found · Rock of Ages');
    await screenshot(page, '12-not-found');
  });

  it(`${dialect}: served without config.json behind a proxy that routes /api/* (as CloudFront does), it calls the API on its own origin`, async () => {
    const site = await serveClient(stack.build, { proxyApiTo: stack.apiUrl });
    try {
      const apiCalls: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'fetch' && !request.url().endsWith('/config.json')) apiCalls.push(request.url());
      });
      await page.goto(`${site.url}/login`);
      await signIn('john@example.com', 'password');
      await page.getByRole('navigation').getByRole('link', { name: 'All Rocks' }).click();
      await rockCard('Ernestina').waitFor();

      expect(apiCalls).toContain(`${site.url}/api/login`);
      expect(apiCalls.filter((url) => !url.startsWith(`${site.url}/api/`))).toEqual([]);
    } finally {
      await site.close();
    }
  });

  it(`${dialect}: with an invalid config.json it says why it cannot start`, async () => {
    const site = await serveClient(stack.build, { configFile: '{"apiUrl": "localhost:8000"}' });
    try {
      await page.goto(`${site.url}/login`);

      await page.getByRole('heading', { name: 'Rock of Ages cannot start' }).waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/^\/config\.json is not valid:\s+- apiUrl must be an http\(s\) URL/);
      await screenshot(page, '13-invalid-config');
    } finally {
      await site.close();
    }
  });

  // Last: it adds rocks that the other tests do not expect.
  it(`${dialect}: a big collection shows its first page at once, its count, and the rest as one scrolls`, async () => {
    const added = 150;
    await addRocks(stack.apiUrl, 'ghijkl789012', added);
    const total = await (await fetch(`${stack.apiUrl}/rocks`, { headers: { Authorization: 'Token ghijkl789012' } })).json().then((rocks: unknown[]) => rocks.length);
    await page.goto(`${stack.clientUrl}/login`);
    await signIn('john@example.com', 'password');
    await page.getByRole('navigation').getByRole('link', { name: 'All Rocks' }).click();

    // A page or two (the next one follows by itself when the end is within a screen), not all of them.
    await page.getByText(`${total} rocks`, { exact: true }).waitFor();
    const first = await page.getByRole('article').count();
    expect(first % ROCKS_PER_PAGE === 0 && first < total).toBe(true);
    await page.getByText(new RegExp(`^Showing \\d+ of ${total} rocks$`)).waitFor();
    await screenshot(page, '14-all-rocks-many');

    // Going to the end brings the next page, until every rock is there. End is pressed again while
    // waiting: a page that arrives during the scroll moves the end further down, as for any reader.
    const showMore = page.getByRole('button', { name: 'Show more rocks' });
    while ((await showMore.count()) > 0) {
      const shown = await page.getByRole('article').count();
      const afterEnd = async () => {
        await page.keyboard.press('End');
        return page.getByRole('article').count();
      };
      await expect.poll(afterEnd, PATIENCE).toBeGreaterThan(shown);
    }
    expect(await page.getByRole('article').count()).toBe(total);
    await rockCard(`Added rock ${added}`).waitFor();
  });
});
