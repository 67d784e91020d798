import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack } from './support/app-stack';
import { launchBrowser } from './support/browser';
import { screenshotTaker } from './support/screenshots';
import { selectDialects } from './support/test-database';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(selectDialects())('%s', (dialect) => {
  let stack: AppStack;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const screenshot = screenshotTaker(dialect);
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
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
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
    await page.getByRole('button', { name: 'Collect rock' }).click();

    // It is in My Rocks, weighed and typed as the API stored it...
    await page.getByText(`${rockName} was added to your collection.`).waitFor();
    expect(pathname()).toBe('/mine');
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
});
