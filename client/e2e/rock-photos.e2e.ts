import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { selectDialects } from '@rock-of-ages/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack } from './support/app-stack';
import { launchBrowser, openPage, type OpenPage } from './support/browser';

const JOHN_TOKEN = 'abcdef123456';
/** Orpha is John's sample rock. */
const ORPHA = 2;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Runs in the page: a 300×200 JPEG drawn on a canvas, as base64 (no image library needed on this side). */
function drawJpeg(): string {
  const canvas = document.createElement('canvas');
  canvas.width = 300;
  canvas.height = 200;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  context.fillStyle = '#7a5c3c';
  context.fillRect(0, 0, 300, 200);
  return canvas.toDataURL('image/jpeg').split(',')[1] ?? '';
}

/**
 * Runs in the page, as the course's client does it from its own origin: upload URL, PUT with the
 * file's type, polling until ready; then loads the small thumbnail. Returns what it saw.
 */
async function courseClientFlow({ apiUrl, token, rockId }: { apiUrl: string; token: string; rockId: number }) {
  const headers = { 'Content-Type': 'application/json', Authorization: `Token ${token}` };
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  (canvas.getContext('2d') as CanvasRenderingContext2D).fillRect(0, 0, 640, 480);
  const file = await new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob as Blob), 'image/png'));

  const asked = await fetch(`${apiUrl}/rock-images/upload-url`, { method: 'POST', headers, body: JSON.stringify({ rock_id: rockId, file_name: 'rock.png', file_type: 'image/png' }) });
  const upload = (await asked.json()) as { presigned_url: string; image_id: number };
  const put = await fetch(upload.presigned_url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: file });
  let image: { status: string; thumbnail_small_url: string | null } = { status: 'processing', thumbnail_small_url: null };
  while (image.status === 'processing') {
    await new Promise((resolve) => setTimeout(resolve, 250));
    image = (await (await fetch(`${apiUrl}/rock-images/${upload.image_id}`, { headers: { Authorization: `Token ${token}` } })).json()) as typeof image;
  }
  const thumbnail = new Image();
  thumbnail.src = image.thumbnail_small_url ?? '';
  await thumbnail.decode();
  return { uploadUrlStatus: asked.status, putStatus: put.status, status: image.status, thumbnail: [thumbnail.naturalWidth, thumbnail.naturalHeight] };
}

describe.each(selectDialects())('%s: rock photos in Chromium', (dialect) => {
  let stack: AppStack;
  let photosDir: string;
  let opened: OpenPage;
  let page: Page;

  beforeAll(async () => {
    photosDir = mkdtempSync(path.join(tmpdir(), 'rock-e2e-photos-'));
    stack = await startAppStack(dialect, { PHOTOS_DIR: photosDir });
  });
  afterAll(async () => {
    await stack?.stop();
    if (photosDir !== undefined) rmSync(photosDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    opened = await openPage(browser);
    page = opened.page;
  });
  afterEach(async () => {
    await opened.close();
    expect(opened.pageErrors).toEqual([]);
  });

  it(`${dialect}: John adds a photo to Orpha on My Rocks and sees its thumbnail on the card`, async () => {
    // Sign in, then go to My Rocks.
    await page.goto(`${stack.clientUrl}/login`);
    await page.getByLabel('Email').fill('john@example.com');
    await page.getByLabel('Password').fill('password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'My Rocks' }).first().click();

    // Choose a photo for Orpha.
    const jpeg = Buffer.from(await page.evaluate(drawJpeg), 'base64');
    await page.getByLabel('Add a photo of Orpha').setInputFiles({ name: 'orpha.jpg', mimeType: 'image/jpeg', buffer: jpeg });

    // The upload finishes and the card shows the small thumbnail, loaded.
    await page.getByText('The photo of Orpha is on its card.').waitFor();
    const photo = page.getByRole('article', { name: 'Orpha', exact: true }).getByRole('img', { name: 'Photo of Orpha' });
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, img.naturalHeight]), { timeout: 15_000 }).toEqual([true, 150, 100]);
  });

  it(`${dialect}: the course's client flow (upload URL, PUT, polling) works against our API from the client's origin`, async () => {
    await page.goto(stack.clientUrl);
    const seen = await page.evaluate(courseClientFlow, { apiUrl: stack.apiUrl, token: JOHN_TOKEN, rockId: ORPHA });
    expect(seen).toEqual({ uploadUrlStatus: 201, putStatus: 200, status: 'ready', thumbnail: [150, 113] });
  });
});
