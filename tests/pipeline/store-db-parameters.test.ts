import { afterEach, describe, expect, it } from 'vitest';
import { DB_SECRETS, instanceWorld, PARAMETER_PREFIX, parametersFor } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

function store(secrets: Record<string, string>, prefix = PARAMETER_PREFIX) {
  const world = instanceWorld();
  world.parameters = {};
  sandbox = Sandbox.create(world);
  return sandbox.runScript('store-db-parameters.sh', ['--prefix', prefix], secrets);
}

describe('store-db-parameters.sh', { timeout: 60_000 }, () => {
  it('stores the five GitHub secrets as SecureString parameters under the prefix', () => {
    const result = store(DB_SECRETS);

    expect(result.status, result.stderr).toBe(0);
    expect(sandbox.world().parameters).toEqual(parametersFor(DB_SECRETS));
    const requests = sandbox.calls('aws').map((call) => JSON.parse(Object.values(call.files)[0] ?? '{}') as object);
    expect(requests).toEqual(
      Object.entries(DB_SECRETS).map(([name, value]) => ({
        Name: `${PARAMETER_PREFIX}${name}`,
        Value: value,
        Type: 'SecureString',
        Overwrite: true,
        Description: `Rock of Ages API ${name}, from the GitHub secret of that name`,
      })),
    );
  });

  it('hands values over in request files, never as arguments, and never prints them', () => {
    const result = store(DB_SECRETS);

    expect(result.status, result.stderr).toBe(0);
    for (const call of sandbox.calls('aws')) {
      expect(call.args).toEqual([
        'ssm', 'put-parameter', '--cli-input-json', expect.stringMatching(/^file:\/\//) as string,
        '--query', 'Version', '--output', 'text',
      ]);
    }
    for (const secret of Object.values(DB_SECRETS)) expect(result.stdout + result.stderr).not.toContain(secret);
    expect(result.stdout).toContain(`Stored ${PARAMETER_PREFIX}DB_PASSWORD (SecureString, version 7)`);
  });

  it('trims the line break a pasted secret often ends with', () => {
    const result = store({ ...DB_SECRETS, DB_HOST: `${DB_SECRETS.DB_HOST}\n`, DB_PORT: ' 5432 ' });

    expect(result.status, result.stderr).toBe(0);
    expect(sandbox.world().parameters).toEqual(parametersFor(DB_SECRETS));
  });

  it('names every missing secret at once and stores nothing', () => {
    const result = store({ DB_NAME: 'rockofages', DB_USER: 'rockadmin', DB_PORT: '5432' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('::error::missing GitHub secrets: DB_PASSWORD DB_HOST');
    expect(sandbox.calls()).toEqual([]);
  });

  it('rejects a DB_PORT that is not a port number', () => {
    const result = store({ ...DB_SECRETS, DB_PORT: 'postgres' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the DB_PORT secret must be a port number');
    expect(sandbox.calls()).toEqual([]);
  });

  it('rejects a prefix that does not start and end with a slash', () => {
    const result = store(DB_SECRETS, 'rock-of-ages/api');

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the parameter prefix must start and end with / (got 'rock-of-ages/api')");
  });
});
