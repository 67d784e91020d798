import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LocalPhotoStore } from '../../photos/local-photo-store.js';
import { CONTENT_TYPE_OF_EXTENSION, SERVED_KEY, UPLOAD_KEY } from '../../photos/photo-store.js';
import { ACCEPTED_IMAGE_TYPES, MAX_IMAGE_BYTES, messageError, photoFileParams, uploadParams, uploadQuery } from '@rock-of-ages/contract';
import { anyRouteFailures } from '../route-responses.js';

/**
 * The photo files themselves, without authentication (an `<img>` sends no token): served photos at
 * `GET /photos/…` from either store, and, for the local store, the uploads its signed URLs point at.
 * Files as uploaded are never served: they may still carry their location.
 */
/** A served file's bytes, sent as they are. */
const photoFileBody = z.instanceof(Buffer);

const photoFilesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/photos/:folder/:file',
    { schema: { params: photoFileParams, response: { 200: photoFileBody, 404: messageError, ...anyRouteFailures } } },
    async (request, reply) => {
      const key = `photos/${request.params.folder}/${request.params.file}`;
      const bytes = SERVED_KEY.test(key) ? await app.photoStore.read(key) : undefined;
      if (bytes === undefined) return reply.code(404).send({ message: `There is no photo at ${request.url.split('?')[0]}` });
      const extension = key.slice(key.lastIndexOf('.') + 1);
      // A photo's files never change: a new photo gets new keys.
      return reply
        .header('content-type', CONTENT_TYPE_OF_EXTENSION[extension])
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    },
  );

  if (app.photoStore.kind !== 'local') return;
  const store = app.photoStore as LocalPhotoStore;

  // Image bodies are read whole, up to the limit: Fastify answers 413 past it, before reading more.
  app.addContentTypeParser([...ACCEPTED_IMAGE_TYPES], { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES }, (_request, body, done) => done(null, body));

  app.put(
    '/uploads/:name',
    {
      schema: {
        params: uploadParams,
        querystring: uploadQuery,
        response: { 200: z.void(), 400: messageError, 403: messageError, 404: messageError, 409: messageError, 413: messageError, ...anyRouteFailures },
      },
      // The URL is checked before the body is read: a bad or expired one never costs a 10 MB upload.
      onRequest: async (request, reply) => {
        const { name } = request.params as { name: string };
        const query = request.query as { expires?: string; signature?: string };
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const refused = store.refuseUpload(
          { key: `uploads/${name}`, contentType, expires: String(query.expires ?? ''), signature: String(query.signature ?? '') },
          Math.floor(Date.now() / 1000),
        );
        if (refused !== undefined) return reply.code(403).send({ message: refused });
      },
    },
    async (request, reply) => {
      const key = `uploads/${request.params.name}`;
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) return reply.code(400).send({ message: 'The request body must be the image file' });
      const image = UPLOAD_KEY.test(key) ? await app.rockImages.findByUploadKey(key) : undefined;
      if (image === undefined) return reply.code(404).send({ message: 'This photo was deleted; ask for a new upload URL' });
      if (image.status !== 'processing') return reply.code(409).send({ message: 'This photo has already been uploaded' });
      await store.write(key, body, image.content_type);
      await app.photoJobs.makeDue(image.id, Date.now());
      app.photoWorker.wake();
      return reply.code(200).send();
    },
  );
};

export default photoFilesRoutes;
