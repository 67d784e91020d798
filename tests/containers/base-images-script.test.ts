import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { loadCompose, service } from './support/compose.js';
import { readRepoFile, repoPath } from './support/repository.js';

const run = promisify(execFile);
const script = repoPath('scripts', 'ci', 'base-images.sh');

/** The images a Dockerfile builds FROM that are not its own stages, with its global ARG defaults filled in. */
function baseImages(dockerfile: string): string[] {
  const text = readRepoFile(dockerfile);
  const defaults = Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S+)$/gm)].map(([, name, value]) => [name, value]));
  const stages = new Set<string>();
  const images: string[] = [];
  for (const [, image = '', stage] of text.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gim)) {
    const resolved = image.replace(/\$\{(\w+)\}/g, (whole, name: string) => defaults[name] ?? whole);
    if (!stages.has(resolved)) images.push(resolved);
    if (stage !== undefined) stages.add(stage);
  }
  return images;
}

describe('scripts/ci/base-images.sh (stand-ins for the base images where no registry is reachable)', () => {
  test('passes shellcheck, with the entry points and helpers it puts in the images', async () => {
    const files = ['scripts/ci/base-images.sh', 'scripts/ci/base-images/node/docker-entrypoint.sh', 'scripts/ci/base-images/postgres/docker-entrypoint.sh', 'scripts/ci/base-images/bookworm/usr/sbin/policy-rc.d'];
    await expect(run('shellcheck', files.map((file) => repoPath(file)))).resolves.toMatchObject({ stdout: '' });
  });

  test('makes every image the Dockerfiles, docker-compose.yml and scripts/docker-network.sh start from', async () => {
    const made = (await run('bash', [script, '--list'])).stdout.trim().split('\n');
    const used = new Set([
      ...baseImages('api/Dockerfile'),
      ...baseImages('client/Dockerfile'),
      service(loadCompose('docker-compose.yml'), 'postgres-db').image,
      /^readonly POSTGRES_IMAGE=(\S+)$/m.exec(readRepoFile('scripts/docker-network.sh'))?.[1],
    ]);
    expect([...used].sort()).toEqual(['nginx:stable-alpine', 'node:24-bookworm-slim', 'postgres:15']);
    expect(made.sort()).toEqual([...used].sort());
  });

  test('refuses an unknown argument with its usage and exit code 2', async () => {
    await expect(run('bash', [script, '--pull'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: scripts/ci/base-images.sh [--list]') });
  });
});
