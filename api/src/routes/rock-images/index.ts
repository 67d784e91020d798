import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiOriginOf } from '../../plugins/photos.js';
import { keysOf } from '../../repositories/rock-images-repository.js';
import {
  MAX_IMAGES_PER_ROCK,
  UPLOAD_URL_EXPIRES_SECONDS,
  confirmUploadBody,
  listRockImagesQuery,
  messageError,
  parseId,
  rockImage,
  rockImageList,
  rockImageParams,
  uploadUrlBody,
  uploadUrlResponse,
} from '@rock-of-ages/contract';
import { anyRouteFailures, bodyFailures, tokenFailures } from '../route-responses.js';

const NOT_YOURS = { message: 'You do not own that rock' };

/** The course's photo endpoints: an upload URL, the photo's state while thumbnails are made, and deletion. */
const rockImagesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  const noRock = (id: number) => ({ message: `There is no rock with id ${id}` });
  const noImage = (id: string) => ({ message: `There is no rock image with id ${id}` });

  /** The photo and the id of its rock's owner, or undefined for an id that names none. */
  const findImage = async (rawId: string) => {
    const id = parseId(rawId);
    const image = id === undefined ? undefined : await app.rockImages.find(id);
    if (image === undefined) return undefined;
    const ownerId = await app.rocks.findOwnerId(image.rock_id);
    return ownerId === undefined ? undefined : { image, ownerId };
  };

  app.post(
    '/rock-images/upload-url',
    { schema: { body: uploadUrlBody, response: { 201: uploadUrlResponse, 403: messageError, 404: messageError, 409: messageError, ...bodyFailures, ...tokenFailures } } },
    async (request, reply) => {
      const { rock_id: rockId, file_name: fileName, file_type: contentType, file_size: contentLength } = request.body;
      const ownerId = await app.rocks.findOwnerId(rockId);
      if (ownerId === undefined) return reply.code(404).send(noRock(rockId));
      if (ownerId !== request.user.id) return reply.code(403).send(NOT_YOURS);
      const now = Date.now();
      const uploadKey = `uploads/${randomBytes(16).toString('hex')}`;
      const creation = await app.rockImages.create(
        { rockId, uploadKey, fileName, contentType, uploadedAt: now, uploadExpiresAt: now + UPLOAD_URL_EXPIRES_SECONDS * 1000 },
        now,
        MAX_IMAGES_PER_ROCK,
      );
      // Counted where the photo is added, one request at a time per rock; the rock may also have gone since the check above.
      if ('refused' in creation) {
        if (creation.refused === 'no such rock') return reply.code(404).send(noRock(rockId));
        return reply.code(409).send({ message: `A rock can have at most ${MAX_IMAGES_PER_ROCK} photos: delete one before adding another` });
      }
      const image = creation.created;
      const presignedUrl = await app.photoStore.createUploadUrl({
        key: uploadKey,
        contentType,
        contentLength,
        expiresInSeconds: UPLOAD_URL_EXPIRES_SECONDS,
        apiOrigin: apiOriginOf(request),
      });
      return reply.code(201).send({ presigned_url: presignedUrl, file_key: uploadKey, image_id: image.id, expires_in: UPLOAD_URL_EXPIRES_SECONDS });
    },
  );

  app.get(
    '/rock-images',
    { schema: { querystring: listRockImagesQuery, response: { 200: rockImageList, 400: messageError, 404: messageError, ...tokenFailures, ...anyRouteFailures } } },
    async (request, reply) => {
      const rockId = request.query.rock_id;
      if ((await app.rocks.findOwnerId(rockId)) === undefined) return reply.code(404).send(noRock(rockId));
      const images = (await app.rockImages.listForRocks([rockId])).get(rockId) ?? [];
      return images.map((image) => app.presentRockImage(image, request));
    },
  );

  app.get('/rock-images/:id', { schema: { params: rockImageParams, response: { 200: rockImage, 404: messageError, ...tokenFailures, ...anyRouteFailures } } }, async (request, reply) => {
    const found = await findImage(request.params.id);
    if (found === undefined) return reply.code(404).send(noImage(request.params.id));
    return app.presentRockImage(found.image, request);
  });

  app.post(
    '/rock-images/:id/confirm-upload',
    { schema: { params: rockImageParams, body: confirmUploadBody, response: { 200: rockImage, 403: messageError, 404: messageError, ...bodyFailures, ...tokenFailures } } },
    async (request, reply) => {
      const found = await findImage(request.params.id);
      if (found === undefined) return reply.code(404).send(noImage(request.params.id));
      if (found.ownerId !== request.user.id) return reply.code(403).send(NOT_YOURS);
      await app.rockImages.recordDeclaredSize(found.image.id, request.body.file_size);
      // The file should be there now: look at once rather than at the job's next check.
      await app.photoJobs.makeDue(found.image.id, Date.now());
      app.photoWorker.wake();
      const image = (await app.rockImages.find(found.image.id)) ?? found.image;
      return app.presentRockImage(image, request);
    },
  );

  app.delete(
    '/rock-images/:id',
    { schema: { params: rockImageParams, response: { 204: z.void(), 403: messageError, 404: messageError, ...bodyFailures, ...tokenFailures } } },
    async (request, reply) => {
      const found = await findImage(request.params.id);
      if (found === undefined) return reply.code(404).send(noImage(request.params.id));
      if (found.ownerId !== request.user.id) return reply.code(403).send(NOT_YOURS);
      const deleted = await app.rockImages.delete(found.image.id);
      if (deleted === undefined) return reply.code(404).send(noImage(request.params.id));
      await app.deletePhotoFiles(keysOf(deleted), request.log);
      return reply.code(204).send();
    },
  );
};

export default rockImagesRoutes;
