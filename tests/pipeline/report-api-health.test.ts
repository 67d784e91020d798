import { afterEach, describe, expect, it } from 'vitest';
import type { World } from './fakes/world.js';
import { instanceWorld, OLD_IMAGE } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

function report(world: World) {
  sandbox = Sandbox.create(world);
  const result = sandbox.runScript('report-api-health.sh', ['--region', 'us-east-2', '--namespace', 'RockOfAges/Api', '--metric', 'Healthy']);
  const metric = sandbox.calls('aws').find((call) => call.args[1] === 'put-metric-data')?.args;
  return { result, metric };
}

const expectedMetric = (value: '0' | '1') => [
  'cloudwatch', 'put-metric-data', '--region', 'us-east-2', '--namespace', 'RockOfAges/Api',
  '--metric-name', 'Healthy', '--value', value, '--unit', 'Count',
];

describe('report-api-health.sh, the health probe the alarm watches', { timeout: 60_000 }, () => {
  it('reports 1 while the API answers /health with the database up', () => {
    const { result, metric } = report(instanceWorld());

    expect(result.status, result.stderr).toBe(0);
    expect(metric).toEqual(expectedMetric('1'));
    expect(result.stdout).toBe('health: HTTP 200, reported Healthy=1\n');
  });

  it('reports 0 when the API answers but cannot reach its database', () => {
    const world = instanceWorld();
    const image = world.images[OLD_IMAGE];
    if (image !== undefined) image.database = 'unreachable';

    const { metric } = report(world);

    expect(metric).toEqual(expectedMetric('0'));
  });

  it('reports 0 when no container answers at all', () => {
    const { result, metric } = report({ ...instanceWorld(), containers: {} });

    expect(result.status, result.stderr).toBe(0);
    expect(metric).toEqual(expectedMetric('0'));
    expect(result.stdout).toBe('health: HTTP 000, reported Healthy=0\n');
  });
});
