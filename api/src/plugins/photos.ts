import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { PhotosConfig } from '../config/config.js';
import { createPhotoStore } from '../photos/create-photo-store.js';
import type { PhotoStore } from '../photos/photo-store.js';
import { startPhotoWorker, type PhotoWorker } from '../photos/photo-worker.js';
import { presentRockImage } from '../photos/present-rock-image.js';
import { processPhoto } from '../photos/process-photo.js';
import type { RockImageRecord } from '../repositories/rock-images-repository.js';
import type { RockImage } from '@rock-of-ages/contract';

declare module 'fastify' {
  interface FastifyInstance {
    photoStore: PhotoStore;
    /** Set once the app is ready: this instance's share of the thumbnail jobs. */
    photoWorker: Pick<PhotoWorker, 'wake'>;
    /** The photo as the caller is to see it, with URLs that reach this API as the caller did. */
    presentRockImage: (image: RockImageRecord, request: FastifyRequest) => RockImage;
    /** Deletes files of photos already deleted from the database; a store that fails is logged, not reported to the caller. */
    deletePhotoFiles: (keys: string[], log: FastifyBaseLogger) => Promise<void>;
  }
}

/** The API's origin as the client reached it (behind a proxy, as the proxy says when TRUST_PROXY allows). */
export const apiOriginOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** The photo store, and the worker that turns uploads into served photos and thumbnails. */
export default fp(
  async (app: FastifyInstance, options: { photos: PhotosConfig }) => {
    const store = await createPhotoStore(options.photos.store);
    app.decorate('photoStore', store);
    app.decorate('presentRockImage', (image: RockImageRecord, request: FastifyRequest) => presentRockImage(image, store, apiOriginOf(request)));

    app.decorate('deletePhotoFiles', async (keys: string[], log: FastifyBaseLogger) => {
      await store.delete(keys).catch((error: unknown) => log.error({ err: error, keys }, 'photo files could not be deleted; they are left in the store'));
    });

    let worker: PhotoWorker | undefined;
    app.decorate('photoWorker', { wake: () => worker?.wake() });
    app.addHook('onReady', async () => {
      worker = startPhotoWorker({
        jobs: app.photoJobs,
        process: (imageId) => processPhoto(imageId, { images: app.rockImages, jobs: app.photoJobs, store, now: Date.now }),
        giveUp: async (imageId, reason) => {
          const image = await app.rockImages.find(imageId);
          await app.rockImages.markFailed(imageId, reason);
          await app.photoJobs.finish(imageId);
          if (image !== undefined) await app.deletePhotoFiles([image.upload_key], app.log);
        },
        leaseMs: options.photos.jobLeaseMs,
        log: app.log.child({ component: 'photo-jobs' }),
      });
    });
    app.addHook('onClose', async () => {
      await worker?.stop();
    });
  },
  { name: 'photos', dependencies: ['repositories'] },
);
