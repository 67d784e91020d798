import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { instanceWorld } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

/** A client/dist as Vite writes it: index.html, unhashed public files, hashed assets. */
function builtClient(): string {
  const dist = path.join(sandbox.directory, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<script type="module" src="/assets/index-B1x2.js"></script>');
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(path.join(dist, 'assets', 'index-B1x2.js'), 'console.log(1)');
  return dist;
}

describe('publish-client.sh', { timeout: 60_000 }, () => {
  it('uploads hashed assets first, then the pages, prunes old assets, and invalidates CloudFront', () => {
    sandbox = Sandbox.create(instanceWorld());
    const dist = builtClient();

    const result = sandbox.runScript('publish-client.sh', [
      '--dist', dist, '--bucket', 'rock-of-ages-client', '--distribution-id', 'E2ABCDEF12345',
    ]);

    expect(result.status, result.stderr).toBe(0);
    expect(sandbox.calls('aws').map((call) => call.args)).toEqual([
      ['s3', 'sync', `${dist}/assets`, 's3://rock-of-ages-client/assets', '--no-progress', '--cache-control', IMMUTABLE],
      ['s3', 'sync', dist, 's3://rock-of-ages-client', '--no-progress', '--delete', '--exclude', 'assets/*',
        '--cache-control', 'no-cache'],
      ['s3', 'sync', `${dist}/assets`, 's3://rock-of-ages-client/assets', '--no-progress', '--delete',
        '--cache-control', IMMUTABLE],
      ['cloudfront', 'create-invalidation', '--distribution-id', 'E2ABCDEF12345', '--paths', '/*',
        '--query', 'Invalidation.Id', '--output', 'text'],
    ]);
    expect(result.stdout).toContain('Invalidated CloudFront distribution E2ABCDEF12345 (invalidation I2J3K4L5)');
  });

  it('skips the invalidation when no distribution is configured, and accepts an s3:// bucket', () => {
    sandbox = Sandbox.create(instanceWorld());
    const dist = builtClient();

    const result = sandbox.runScript('publish-client.sh', [
      '--dist', dist, '--bucket', 's3://rock-of-ages-client/', '--distribution-id', '',
    ]);

    expect(result.status, result.stderr).toBe(0);
    expect(sandbox.calls('aws').map((call) => call.args[0])).toEqual(['s3', 's3', 's3']);
    expect(result.stdout).toContain('Published');
  });

  it('refuses to publish a client that was not built', () => {
    sandbox = Sandbox.create(instanceWorld());

    const result = sandbox.runScript('publish-client.sh', ['--dist', path.join(sandbox.directory, 'dist'), '--bucket', 'b-1']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('index.html does not exist: build the client first');
    expect(sandbox.calls()).toEqual([]);
  });
});
