import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** s3rver's fixed credentials: it checks signatures made with them. */
export const S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' } as const;

export interface S3Server {
  endpoint: string;
  bucket: string;
  close: () => Promise<void>;
}

/** An S3-compatible server on a free loopback port, with one empty bucket, its files in a scratch folder. */
export async function startS3Server(bucket = 'rock-photos'): Promise<S3Server> {
  const directory = mkdtempSync(path.join(tmpdir(), 'rock-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The SDK reads credentials and region from the environment, as it would from a role in AWS. */
export function useS3Credentials(): void {
  Object.assign(process.env, S3_CREDENTIALS);
}
