import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DatabaseHandle } from '../db/database.js';
import { pingDatabase } from '../db/wait-for-database.js';
import { createLoginFailuresRepository, type LoginFailuresRepository } from '../repositories/login-failures-repository.js';
import { createPhotoJobsRepository, type PhotoJobsRepository } from '../repositories/photo-jobs-repository.js';
import { createRockImagesRepository, type RockImagesRepository } from '../repositories/rock-images-repository.js';
import { createRocksRepository, type RocksRepository } from '../repositories/rocks-repository.js';
import { createTypesRepository, type TypesRepository } from '../repositories/types-repository.js';
import { createUsersRepository, type UsersRepository } from '../repositories/users-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    users: UsersRepository;
    rocks: RocksRepository;
    types: TypesRepository;
    loginFailures: LoginFailuresRepository;
    rockImages: RockImagesRepository;
    photoJobs: PhotoJobsRepository;
    /** Resolves when the database answers a trivial query. */
    pingDatabase: () => Promise<void>;
  }
}

/** The only way routes reach the database: one repository per resource. */
export default fp(
  (app: FastifyInstance, options: { database: DatabaseHandle }) => {
    const { db } = options.database;
    app.decorate('users', createUsersRepository(db));
    const rockImages = createRockImagesRepository(db);
    app.decorate('rockImages', rockImages);
    app.decorate('photoJobs', createPhotoJobsRepository(db));
    app.decorate('rocks', createRocksRepository(db, rockImages));
    app.decorate('types', createTypesRepository(db));
    app.decorate('loginFailures', createLoginFailuresRepository(db));
    app.decorate('pingDatabase', () => pingDatabase(options.database));
  },
  { name: 'repositories' },
);
