import type { FakeContainer, FakeImage, World } from '../fakes/world.js';

export const REGION = 'us-east-2';
export const INSTANCE_ID = 'i-0abc1234def567890';
export const PARAMETER_PREFIX = '/rock-of-ages/api/';
export const REPOSITORY = '123456789012.dkr.ecr.us-east-2.amazonaws.com/rock-of-ages-api';
export const NEW_TAG = '3f2a9c1d0b8e7f6a5d4c3b2a1908f7e6d5c4b3a2';
export const OLD_TAG = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
export const NEW_IMAGE = `${REPOSITORY}:${NEW_TAG}`;
export const OLD_IMAGE = `${REPOSITORY}:${OLD_TAG}`;
export const ECR_PASSWORD = 'eyJwYXlsb2FkIjoiZmFrZS1lY3ItdG9rZW4ifQ';
export const DATABASE_SECRET_ARN = 'arn:aws:secretsmanager:us-east-2:123456789012:secret:DatabaseSecret3B817195-Ab12Cd';
export const RDS_CA_BUNDLE = '-----BEGIN CERTIFICATE-----\nMIIEBjCCAu6gAwIBAgIJAMc0ZzaSUK51\n-----END CERTIFICATE-----\n';

/** The GitHub secrets as the workshop sets them, with a password full of characters a .env file trips on. */
export const DB_SECRETS = {
  DB_NAME: 'rockofages',
  DB_USER: 'rockadmin',
  DB_PASSWORD: "Pa$$w0rd#1'it=s\\n!",
  DB_HOST: 'rock-of-ages-db.c9xkv8example.us-east-2.rds.amazonaws.com',
  DB_PORT: '5432',
} as const;

/** The database's secret as RDS keeps it once attached to the instance (no dbname: the stack names the database). */
export function databaseSecretFor(secrets: typeof DB_SECRETS | Record<string, string>): string {
  return JSON.stringify({
    username: secrets.DB_USER,
    password: secrets.DB_PASSWORD,
    engine: 'postgres',
    host: secrets.DB_HOST,
    port: Number(secrets.DB_PORT),
    dbInstanceIdentifier: 'rock-of-ages-db',
  });
}

export function parametersFor(secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).map(([name, value]) => [`${PARAMETER_PREFIX}${name}`, value]));
}

export function apiImage(id: string, overrides: Partial<FakeImage> = {}): FakeImage {
  return {
    id: `sha256:${id.repeat(64).slice(0, 64)}`,
    user: '',
    uid: 0,
    workdir: '/app/api',
    database: 'ok',
    logs: `{"level":30,"msg":"Server listening at http://0.0.0.0:8000","image":"${id}"}\n`,
    ...overrides,
  };
}

export const runningContainer = (image: string, imageId: string): FakeContainer => ({
  image,
  imageId,
  status: 'running',
  restartCount: 0,
  mounts: [],
  env: [],
  publish: ['80:8000'],
});

/**
 * An instance as the workshop leaves it: the old image running as rock-of-ages-api, a new image in
 * ECR, the database settings in Parameter Store. The image runs as the current user, so the script can
 * hand the env file over without being root.
 */
export function instanceWorld(changes: { newImage?: Partial<FakeImage>; withOldContainer?: boolean } = {}): World {
  const uid = process.getuid?.() ?? 0;
  const oldImage = apiImage('a', { user: String(uid), uid });
  const newImage = apiImage('b', { user: `${uid}:${uid}`, uid, ...changes.newImage });
  const withOld = changes.withOldContainer ?? true;
  return {
    registry: { [NEW_IMAGE]: newImage, [OLD_IMAGE]: oldImage },
    images: withOld ? { [OLD_IMAGE]: oldImage } : {},
    containers: withOld ? { 'rock-of-ages-api': runningContainer(OLD_IMAGE, oldImage.id) } : {},
    parameters: parametersFor(DB_SECRETS),
    secrets: { [DATABASE_SECRET_ARN]: databaseSecretFor(DB_SECRETS) },
    instanceId: INSTANCE_ID,
    cloudFront: 'through',
    ecrPassword: ECR_PASSWORD,
    rdsCaBundle: RDS_CA_BUNDLE,
    invocation: { statuses: ['Success'], stdout: '', stderr: '' },
    mainHead: NEW_TAG,
  };
}

export const deployArguments = (image = NEW_IMAGE, sslMode = 'verify-full'): string[] => [
  '--image',
  image,
  '--region',
  REGION,
  '--parameter-prefix',
  PARAMETER_PREFIX,
  '--instance-id',
  INSTANCE_ID,
  '--ssl-mode',
  sslMode,
];
