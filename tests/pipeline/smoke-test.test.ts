import { afterEach, describe, expect, it } from 'vitest';
import type { World } from './fakes/world.js';
import { INSTANCE_ID, instanceWorld, OLD_IMAGE } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

const API_URL = 'https://d1234abcd.cloudfront.net/api';

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

/** The instance as the workshop leaves it: the old container serving port 80, and CloudFront in front. */
function smoke(world: World, args: string[] = ['--api-url', API_URL]) {
  sandbox = Sandbox.create(world);
  return sandbox.runScript('smoke-test.sh', args, { SMOKE_ATTEMPTS: '3', SMOKE_INTERVAL_SECONDS: '0' });
}

const publicCalls = () => sandbox.calls('curl').map((call) => call.args.at(-1));

describe('smoke-test.sh through the public address', { timeout: 60_000 }, () => {
  it('passes when /health reports the database up and /rocks gets the API\'s own 401', () => {
    const result = smoke(instanceWorld());

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`GET ${API_URL}/health: {"status":"ok","instance":"unknown","database":"ok"}`);
    expect(result.stdout).toContain(`GET ${API_URL}/rocks without a token: 401, from the API`);
    expect(publicCalls()).toEqual([`${API_URL}/health`, `${API_URL}/rocks`]);
  });

  it('fails, after asking again, when CloudFront cannot reach the origin', () => {
    const result = smoke({ ...instanceWorld(), cloudFront: 'error' });

    expect(result.status).toBe(1);
    expect(publicCalls()).toHaveLength(6);
    expect(result.stderr).toContain('GET https://d1234abcd.cloudfront.net/api/health: HTTP 502 <html>');
    expect(result.stderr).toContain(`::error::the API does not answer through ${API_URL} after 3 attempts`);
  });

  it('fails when the database is down behind a healthy-looking route', () => {
    const world = instanceWorld();
    const image = world.images[OLD_IMAGE];
    if (image !== undefined) image.database = 'unreachable';

    const result = smoke(world);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('HTTP 503');
  });

  it('fails when the answer comes from another instance than the one just deployed', () => {
    const result = smoke(instanceWorld(), ['--api-url', API_URL, '--instance', INSTANCE_ID]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`::error::the public API answers, but not from ${INSTANCE_ID}, the instance just deployed`);
  });

  it('refuses an address that is not one, naming the repository variable', () => {
    const result = smoke(instanceWorld(), ['--api-url', '']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("(repository variable API_URL; got '')");
    expect(sandbox.calls()).toEqual([]);
  });
});
