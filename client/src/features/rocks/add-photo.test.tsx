import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../testing/render-app';
import { orpha, SAMPLE_TOKEN } from '../../testing/sample-data';
import { apiUrl, server } from '../../testing/server';
import type { Rock, RockImage } from '@rock-of-ages/contract';
import { rockPage } from '../../testing/rock-pages';

const UPLOAD_URL = 'https://photos.rock-of-ages.test/uploads/abc?signature=x';
const THUMBNAIL = 'https://photos.rock-of-ages.test/photos/9-abc/small.webp';

const processing: RockImage = {
  id: 9,
  rock: orpha.id,
  original_url: null,
  thumbnail_small_url: null,
  thumbnail_medium_url: null,
  thumbnail_large_url: null,
  uploaded_at: '2026-12-06T01:00:00.000Z',
  file_size: null,
  status: 'processing',
  failure_reason: null,
};
const ready: RockImage = { ...processing, status: 'ready', original_url: THUMBNAIL.replace('small', 'original'), thumbnail_small_url: THUMBNAIL };

const photo = (name = 'orpha.jpg', type = 'image/jpeg', size = 2_000) => new File([new Uint8Array(size)], name, { type });

/** My rocks (Orpha), the photo endpoints, and the store's PUT; records what the app sent. */
function servePhotoFlow({ imageAfterUpload = ready, putStatus = 200 }: { imageAfterUpload?: RockImage; putStatus?: number } = {}) {
  const sent: { uploadUrlBody?: unknown; putType?: string | null; confirmBody?: unknown } = {};
  let mine: Rock[] = [{ ...orpha, images: [] }];
  let polls = 0;
  server.use(
    http.get(apiUrl('/rocks'), () => rockPage(mine)),
    http.post(apiUrl('/rock-images/upload-url'), async ({ request }) => {
      sent.uploadUrlBody = await request.json();
      return HttpResponse.json({ presigned_url: UPLOAD_URL, file_key: 'uploads/abc', image_id: 9, expires_in: 300 }, { status: 201 });
    }),
    http.put(UPLOAD_URL, ({ request }) => {
      sent.putType = request.headers.get('content-type');
      return new HttpResponse(null, { status: putStatus });
    }),
    http.post(apiUrl('/rock-images/9/confirm-upload'), async ({ request }) => {
      sent.confirmBody = await request.json();
      return HttpResponse.json(processing);
    }),
    http.get(apiUrl('/rock-images/9'), () => {
      // Processing at the first look, as the API answers while the thumbnails are made.
      polls++;
      if (polls === 1) return HttpResponse.json(processing);
      if (imageAfterUpload.status === 'ready') mine = [{ ...orpha, images: [imageAfterUpload] }];
      return HttpResponse.json(imageAfterUpload);
    }),
  );
  return sent;
}

describe('adding a photo to one of my rocks', () => {
  it('asks for an upload URL, PUTs the file with its type, confirms, waits for the thumbnails and shows one on the card', async () => {
    const sent = servePhotoFlow();
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.upload(await screen.findByLabelText('Add a photo of Orpha'), photo());

    expect(await screen.findByText('The photo of Orpha is on its card.', {}, { timeout: 5_000 })).toHaveRole('status');
    const card = screen.getByRole('article', { name: 'Orpha' });
    expect(await within(card).findByRole('img', { name: 'Photo of Orpha' })).toHaveAttribute('src', THUMBNAIL);
    expect(sent).toEqual({ uploadUrlBody: { rock_id: orpha.id, file_name: 'orpha.jpg', file_type: 'image/jpeg', file_size: 2_000 }, putType: 'image/jpeg', confirmBody: { file_size: 2_000 } });
  });

  it('refuses a file that is no JPEG, PNG or WebP before sending anything, and says what to choose', async () => {
    server.use(http.get(apiUrl('/rocks'), () => rockPage([orpha])));
    renderApp('/mine', { token: SAMPLE_TOKEN });

    // The input's accept filter off: a user can pick "All files" in the browser's dialog.
    await userEvent.setup({ applyAccept: false }).upload(await screen.findByLabelText('Add a photo of Orpha'), photo('orpha.gif', 'image/gif'));

    expect(await screen.findByRole('alert')).toHaveTextContent('orpha.gif is not a JPEG, PNG or WebP image. Choose a photo in one of those formats.');
  });

  it('refuses a photo over 10 MB before sending anything', async () => {
    server.use(http.get(apiUrl('/rocks'), () => rockPage([orpha])));
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.upload(await screen.findByLabelText('Add a photo of Orpha'), photo('huge.jpg', 'image/jpeg', 10 * 1024 * 1024 + 1));

    expect(await screen.findByRole('alert')).toHaveTextContent('huge.jpg is larger than 10 MB. Choose a smaller photo, or shrink this one first.');
  });

  it('says why the API could not use the file', async () => {
    servePhotoFlow({ imageAfterUpload: { ...processing, status: 'failed', failure_reason: 'The file is not a JPEG, PNG or WebP image' } });
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.upload(await screen.findByLabelText('Add a photo of Orpha'), photo());

    expect(await screen.findByRole('alert', {}, { timeout: 5_000 })).toHaveTextContent('The file is not a JPEG, PNG or WebP image');
  });

  it('asks to choose the photo again when the upload link was refused', async () => {
    servePhotoFlow({ putStatus: 403 });
    const { user } = renderApp('/mine', { token: SAMPLE_TOKEN });

    await user.upload(await screen.findByLabelText('Add a photo of Orpha'), photo());

    expect(await screen.findByRole('alert')).toHaveTextContent('The upload link was refused or has expired. Please choose the photo again.');
  });
});
