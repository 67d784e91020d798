import { afterEach, describe, expect, it } from 'vitest';
import { instanceWorld, PARAMETER_PREFIX } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

function store(args: string[]) {
  sandbox = Sandbox.create({ ...instanceWorld(), parameters: {} });
  return sandbox.runScript('store-seed-parameter.sh', args);
}

describe('store-seed-parameter.sh', { timeout: 60_000 }, () => {
  it('stores reference by default: a plain String, overwritten at each deploy', () => {
    const result = store(['--prefix', PARAMETER_PREFIX, '--seed', '']);

    expect(result.status, result.stderr).toBe(0);
    expect(sandbox.world().parameters).toEqual({ [`${PARAMETER_PREFIX}SEED`]: 'reference' });
    const [call] = sandbox.calls('aws');
    expect(JSON.parse(Object.values(call?.files ?? {})[0] ?? '{}')).toEqual({
      Name: `${PARAMETER_PREFIX}SEED`,
      Value: 'reference',
      Type: 'String',
      Overwrite: true,
      Description: 'Rock of Ages API SEED: which rows the API seeds (sample, reference or none)',
    });
    expect(result.stdout).toContain(`Stored ${PARAMETER_PREFIX}SEED=reference (version 7)`);
    expect(result.stdout).not.toContain('::warning::');
  });

  it('stores sample for the workshop, with a warning that its credentials are published', () => {
    const result = store(['--prefix', PARAMETER_PREFIX, '--seed', 'sample']);

    expect(result.status, result.stderr).toBe(0);
    expect(sandbox.world().parameters[`${PARAMETER_PREFIX}SEED`]).toBe('sample');
    expect(result.stdout).toContain("::warning::SEED=sample loads the course's sample users");
  });

  it('refuses anything but sample, reference or none, and stores nothing', () => {
    const result = store(['--prefix', PARAMETER_PREFIX, '--seed', 'all']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the repository variable SEED must be one of: sample reference none (got 'all')");
    expect(sandbox.calls()).toEqual([]);
  });
});
