import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoStoreConfig } from '../src/config/config.js';
import { NOT_AN_IMAGE } from '../src/photos/photo-files.js';
import { signUpload } from '../src/photos/upload-signature.js';
import { MAX_IMAGE_BYTES, MAX_IMAGES_PER_ROCK, THUMBNAIL_SIZES, UPLOAD_URL_EXPIRES_SECONDS, type Rock, type ThumbnailSize, type UploadUrlResponse } from '@rock-of-ages/contract';
import { askUploadUrl, dimensionsOf, fetchFile, hasLocation, jpegWithLocation, pollUntilProcessed, png, putFile } from './support/photos.js';
import { startS3Server, useS3Credentials, type S3Server } from './support/s3-server.js';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

const JOHN = 'abcdef123456';
const JANE = 'ghijkl789012';
/** Sample rocks: Orpha is John's, Ernestina Jane's. */
const ORPHA = 2;
const ERNESTINA = 1;

type StoreKind = PhotoStoreConfig['kind'];

const TARGETS = DIALECTS.flatMap((dialect) => (['local', 's3'] as const).map((store) => [`${dialect}, ${store} store`, dialect, store] as const));

describe.each(TARGETS)('%s: rock photos over HTTP', (_name, dialect, storeKind: StoreKind) => {
  let server: TestServer;
  let s3: S3Server | undefined;
  let localDir: string | undefined;
  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) => request(server, method, url, options);

  beforeAll(async () => {
    let store: PhotoStoreConfig;
    if (storeKind === 's3') {
      useS3Credentials();
      s3 = await startS3Server();
      store = { kind: 's3', bucket: s3.bucket, endpoint: s3.endpoint, publicUrl: undefined };
    } else {
      localDir = mkdtempSync(path.join(tmpdir(), 'rock-photos-test-'));
      store = { kind: 'local', dir: localDir };
    }
    server = await startTestServer(dialect, { photos: { store, jobLeaseMs: 120_000 } });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
    if (localDir !== undefined) rmSync(localDir, { recursive: true, force: true });
  });

  /** A new rock of John's, so that each test starts with a rock without photos. */
  const newRock = async (token = JOHN) => ((await call('POST', '/rocks', { token, body: { name: 'Photogenic', weight: 1, typeId: 1 } })).body as Rock).id;

  /** Upload URL, PUT, and polling, as the course's client does it (no confirmation). */
  const uploadAndProcess = async (rockId: number, bytes: Buffer, type = 'image/jpeg') => {
    const { body: upload } = await askUploadUrl(server, JOHN, rockId, type);
    expect((await putFile(upload.presigned_url, bytes, type)).status).toBe(200);
    return (await pollUntilProcessed(server, JOHN, upload.image_id)).body;
  };

  /** Whether the store still holds the file behind a URL the API gave out. */
  const stored = async (url: string | null) => {
    if (url === null) throw new Error('the photo has no URL for that file');
    return (await server.app.photoStore.sizeOf(new URL(url).pathname.slice(1))) !== undefined;
  };

  /** An upload URL for the key that expired ten minutes ago, signed as the store signs. */
  const expiredUrl = async (key: string, contentType: string) => {
    if (storeKind === 'local') {
      const secret = Buffer.from(readFileSync(path.join(localDir!, '.upload-signing-key'), 'utf8').trim(), 'hex');
      const expires = Math.floor(Date.now() / 1000) - 600;
      return `${server.baseUrl}/${key}?expires=${expires}&signature=${signUpload(secret, { key, contentType, expires })}`;
    }
    const client = new S3Client({ endpoint: s3!.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
    return getSignedUrl(client, new PutObjectCommand({ Bucket: s3!.bucket, Key: key, ContentType: contentType }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 600_000),
      signableHeaders: new Set(['content-type']),
    });
  };

  it('upload URL → PUT → confirm → ready: thumbnails of the stated sizes, the original without its location, on the rock', async () => {
    const rockId = await newRock();
    const photo = await jpegWithLocation(1600, 1200);
    expect(await hasLocation(photo)).toBe(true);

    const upload = await askUploadUrl(server, JOHN, rockId);
    expect(upload.status).toBe(201);
    expect(upload.body).toEqual({ presigned_url: expect.any(String), file_key: expect.stringMatching(/^uploads\//), image_id: expect.any(Number), expires_in: UPLOAD_URL_EXPIRES_SECONDS });

    expect((await putFile(upload.body.presigned_url, photo, 'image/jpeg')).status).toBe(200);
    const confirmed = await call('POST', `/rock-images/${upload.body.image_id}/confirm-upload`, { token: JOHN, body: { file_size: photo.length } });
    expect(confirmed.status).toBe(200);

    const image = (await pollUntilProcessed(server, JOHN, upload.body.image_id)).body;
    expect(image).toEqual({
      id: upload.body.image_id,
      rock: rockId,
      original_url: expect.stringMatching(/\/original\.jpg$/),
      thumbnail_small_url: expect.stringMatching(/\/small\.webp$/),
      thumbnail_medium_url: expect.stringMatching(/\/medium\.webp$/),
      thumbnail_large_url: expect.stringMatching(/\/large\.webp$/),
      uploaded_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      file_size: photo.length,
      status: 'ready',
      failure_reason: null,
    });

    const original = await fetchFile(image.original_url);
    expect([original.status, original.contentType]).toEqual([200, 'image/jpeg']);
    expect(await dimensionsOf(original.bytes)).toEqual({ format: 'jpeg', width: 1600, height: 1200 });
    const expected = { small: THUMBNAIL_SIZES.small, medium: THUMBNAIL_SIZES.medium, large: THUMBNAIL_SIZES.large };
    for (const [size, side] of Object.entries(expected)) {
      const thumbnail = await fetchFile(image[`thumbnail_${size as ThumbnailSize}_url`]);
      expect([thumbnail.status, thumbnail.contentType]).toEqual([200, 'image/webp']);
      expect(await dimensionsOf(thumbnail.bytes)).toEqual({ format: 'webp', width: side, height: Math.round((side * 3) / 4) });
      expect(await hasLocation(thumbnail.bytes)).toBe(false);
    }
    expect(await hasLocation(original.bytes)).toBe(false);

    const rocks = (await call('GET', '/rocks?owner=current', { token: JOHN })).body as { id: number; images: unknown[] }[];
    expect(rocks.find((rock) => rock.id === rockId)?.images).toEqual([image]);
    expect((await call('GET', `/rock-images?rock_id=${rockId}`, { token: JANE })).body).toEqual([image]);
  });

  it("the course's client flow (no confirmation) reaches ready too, and the upload itself is never served", async () => {
    const rockId = await newRock();
    const { body: upload } = await askUploadUrl(server, JOHN, rockId, 'image/png', 'pebble.png');
    expect((await putFile(upload.presigned_url, await png(300, 200), 'image/png')).status).toBe(200);
    const image = (await pollUntilProcessed(server, JOHN, upload.image_id)).body;
    expect(image.status).toBe('ready');
    expect(await dimensionsOf((await fetchFile(image.original_url)).bytes)).toEqual({ format: 'png', width: 300, height: 200 });
    // Smaller than the large thumbnail: not enlarged.
    expect(await dimensionsOf((await fetchFile(image.thumbnail_large_url)).bytes)).toEqual({ format: 'webp', width: 300, height: 200 });
    expect((await call('GET', `/${upload.file_key}`)).status).toBe(404);
  });

  it('a rock of someone else answers 403, an unknown rock 404, and neither gets a photo', async () => {
    expect([(await askUploadUrl(server, JOHN, ERNESTINA)).status, (await askUploadUrl(server, JOHN, ERNESTINA)).body]).toEqual([403, { message: 'You do not own that rock' }]);
    expect((await askUploadUrl(server, JOHN, 999_999)).body).toEqual({ message: 'There is no rock with id 999999' });
    expect((await call('GET', `/rock-images?rock_id=${ERNESTINA}`, { token: JOHN })).body).toEqual([]);
  });

  it.each([
    [{ file_name: 'a.jpg', file_type: 'image/jpeg' }, 'rock_id is required'],
    [{ rock_id: ORPHA, file_type: 'image/jpeg' }, 'file_name is required'],
    [{ rock_id: ORPHA, file_name: 'a.jpg' }, 'file_type is required: image/jpeg, image/png or image/webp'],
    [{ rock_id: ORPHA, file_name: 'a.gif', file_type: 'image/gif' }, 'file_type must be image/jpeg, image/png or image/webp'],
    [{ rock_id: 'abc', file_name: 'a.jpg', file_type: 'image/jpeg' }, 'rock_id must be an id'],
    ['"photo"', 'The request body must be a JSON object with rock_id, file_name and file_type'],
  ])('POST /rock-images/upload-url with %j answers 400 "%s"', async (body, message) => {
    const response = await call('POST', '/rock-images/upload-url', { token: JOHN, body });
    expect([response.status, response.body]).toEqual([400, { message }]);
  });

  it('an upload URL asked for a file over 10 MB answers 400; for a size within the limit, an S3 URL is signed for that size', async () => {
    const body = (fileSize: number) => ({ rock_id: ORPHA, file_name: 'a.jpg', file_type: 'image/jpeg', file_size: fileSize });
    const tooBig = await call('POST', '/rock-images/upload-url', { token: JOHN, body: body(MAX_IMAGE_BYTES + 1) });
    expect([tooBig.status, tooBig.body]).toEqual([400, { message: `file_size must be at most ${MAX_IMAGE_BYTES} bytes (10 MB)` }]);

    const sized = await call('POST', '/rock-images/upload-url', { token: JOHN, body: body(2_000) });
    expect(sized.status).toBe(201);
    if (storeKind === 's3') expect(new URL((sized.body as UploadUrlResponse).presigned_url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host']);
    await call('DELETE', `/rock-images/${(sized.body as UploadUrlResponse).image_id}`, { token: JOHN });
  });

  it('without a token every photo endpoint answers 401 as the rest of the API', async () => {
    const response = await call('POST', '/rock-images/upload-url', { body: { rock_id: ORPHA, file_name: 'a.jpg', file_type: 'image/jpeg' } });
    expect([response.status, response.body]).toEqual([401, { detail: 'Authentication credentials were not provided.' }]);
  });

  it('a PUT with another Content-Type than the URL was made for is refused and stores nothing', async () => {
    const rockId = await newRock();
    const { body: upload } = await askUploadUrl(server, JOHN, rockId, 'image/jpeg');
    if (storeKind === 's3') {
      // s3rver checks a presigned URL's expiry but not its SigV4 signature, so it would accept the
      // PUT: what can be checked here is that the signature covers the Content-Type, which S3 enforces.
      expect(new URL(upload.presigned_url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-type');
      return;
    }
    const refused = await putFile(upload.presigned_url, await png(20, 20), 'image/png');
    expect([refused.status, JSON.parse(refused.text)]).toEqual([
      403,
      { message: 'This upload URL is not valid for this file and Content-Type: ask for a new one with POST /rock-images/upload-url' },
    ]);
    expect((await putFile(upload.presigned_url, Buffer.from('plain'), 'text/plain')).status).toBe(403);
    expect(await server.app.photoStore.sizeOf(upload.file_key)).toBeUndefined();
  });

  it('a PUT after the URL expired is refused and stores nothing', async () => {
    const rockId = await newRock();
    const { body: upload } = await askUploadUrl(server, JOHN, rockId, 'image/jpeg');
    const refused = await putFile(await expiredUrl(upload.file_key, 'image/jpeg'), await jpegWithLocation(20, 20), 'image/jpeg');
    expect(refused.status).toBe(403);
    if (storeKind === 'local') expect(JSON.parse(refused.text)).toEqual({ message: 'This upload URL has expired: ask for a new one with POST /rock-images/upload-url' });
    expect(await server.app.photoStore.sizeOf(upload.file_key)).toBeUndefined();
  });

  it('a file that is no image, whatever its name and type, ends "failed" with the reason', async () => {
    const rockId = await newRock();
    const image = await uploadAndProcess(rockId, Buffer.from('#!/bin/sh\necho definitely a rock\n'.repeat(20)));
    expect([image.status, image.failure_reason, image.original_url, image.thumbnail_small_url]).toEqual(['failed', NOT_AN_IMAGE, null, null]);
  });

  it('a file over 10 MB is refused where it lands, or ends "failed"', async () => {
    const rockId = await newRock();
    const oversized = Buffer.alloc(MAX_IMAGE_BYTES + 1, 0xff);
    const { body: upload } = await askUploadUrl(server, JOHN, rockId, 'image/jpeg');
    const put = await putFile(upload.presigned_url, oversized, 'image/jpeg');
    if (storeKind === 'local') {
      // The local route reads at most the limit.
      expect(put.status).toBe(413);
      expect(await server.app.photoStore.sizeOf(upload.file_key)).toBeUndefined();
    } else {
      // A presigned PUT cannot limit the size: the job refuses the file before reading it, and deletes it.
      expect(put.status).toBe(200);
      const image = (await pollUntilProcessed(server, JOHN, upload.image_id)).body;
      expect([image.status, image.failure_reason]).toEqual(['failed', `The file is ${MAX_IMAGE_BYTES + 1} bytes; at most ${MAX_IMAGE_BYTES} bytes (10 MB) are accepted`]);
      expect(await server.app.photoStore.sizeOf(upload.file_key)).toBeUndefined();
    }
  });

  it(`a rock takes at most ${MAX_IMAGES_PER_ROCK} photos: the next upload URL answers 409`, async () => {
    const rockId = await newRock();
    for (let i = 0; i < MAX_IMAGES_PER_ROCK; i++) expect((await askUploadUrl(server, JOHN, rockId)).status).toBe(201);
    const response = await askUploadUrl(server, JOHN, rockId);
    expect([response.status, response.body]).toEqual([409, { message: `A rock can have at most ${MAX_IMAGES_PER_ROCK} photos: delete one before adding another` }]);
  });

  it("DELETE /rock-images/:id of someone else's photo answers 403; the owner's answers 204 and its files are gone", async () => {
    const rockId = await newRock();
    const image = await uploadAndProcess(rockId, await jpegWithLocation(400, 300));
    expect((await call('DELETE', `/rock-images/${image.id}`, { token: JANE })).body).toEqual({ message: 'You do not own that rock' });
    expect(await stored(image.thumbnail_small_url)).toBe(true);

    expect((await call('DELETE', `/rock-images/${image.id}`, { token: JOHN })).status).toBe(204);
    expect((await call('GET', `/rock-images/${image.id}`, { token: JOHN })).body).toEqual({ message: `There is no rock image with id ${image.id}` });
    for (const url of [image.original_url, image.thumbnail_small_url, image.thumbnail_medium_url, image.thumbnail_large_url]) expect(await stored(url)).toBe(false);
    expect((await fetchFile(image.thumbnail_small_url)).status).toBe(404);
  });

  it("deleting the rock deletes its photos' files", async () => {
    const rockId = await newRock();
    const image = await uploadAndProcess(rockId, await jpegWithLocation(400, 300));
    expect((await call('DELETE', `/rocks/${rockId}`, { token: JOHN })).status).toBe(204);
    for (const url of [image.original_url, image.thumbnail_small_url, image.thumbnail_medium_url, image.thumbnail_large_url]) expect(await stored(url)).toBe(false);
    expect((await call('GET', `/rock-images/${image.id}`, { token: JOHN })).status).toBe(404);
  });

  it('confirming someone else\'s photo answers 403, an unknown one 404, a size over the limit 400', async () => {
    const rockId = await newRock();
    const { body: upload } = await askUploadUrl(server, JOHN, rockId);
    expect((await call('POST', `/rock-images/${upload.image_id}/confirm-upload`, { token: JANE, body: { file_size: 10 } })).status).toBe(403);
    expect((await call('POST', '/rock-images/999999/confirm-upload', { token: JOHN, body: { file_size: 10 } })).status).toBe(404);
    const tooBig = await call('POST', `/rock-images/${upload.image_id}/confirm-upload`, { token: JOHN, body: { file_size: MAX_IMAGE_BYTES + 1 } });
    expect([tooBig.status, tooBig.body]).toEqual([400, { message: `file_size must be at most ${MAX_IMAGE_BYTES} bytes (10 MB)` }]);
  });
});
