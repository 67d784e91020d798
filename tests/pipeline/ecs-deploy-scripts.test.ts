import { afterEach, describe, expect, it } from 'vitest';
import type { FakeEcs } from './fakes/world.js';
import { instanceWorld } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

const CLUSTER = 'RockOfAges-ApiServiceCluster7B793546-Ab12';
const SERVICE = 'RockOfAges-ApiService199661B5-Cd34';
const FAMILY = 'RockOfAgesApiServiceTaskDefinition606C8FA6';
const NEW = `arn:aws:ecs:us-east-2:123456789012:task-definition/${FAMILY}:8`;
const OLD = `arn:aws:ecs:us-east-2:123456789012:task-definition/${FAMILY}:7`;
const TASK_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const LOG_GROUP = 'RockOfAges-ApiLogsContainer5480C28A-Ef56';
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-0a1', 'subnet-0b2'], securityGroups: ['sg-0c3'], assignPublicIp: 'ENABLED' } };

function cluster(changes: Partial<FakeEcs> = {}): FakeEcs {
  return {
    services: {
      [SERVICE]: {
        taskDefinition: NEW,
        networkConfiguration: NETWORK,
        deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
        events: [{ message: `(service ${SERVICE}) has reached a steady state.` }],
      },
    },
    taskDefinitions: {
      [NEW]: { containerDefinitions: [{ name: 'api', logConfiguration: { options: { 'awslogs-group': LOG_GROUP, 'awslogs-stream-prefix': 'api' } } }] },
    },
    taskId: TASK_ID,
    taskStatuses: ['PROVISIONING', 'RUNNING', 'STOPPED'],
    exitCode: 0,
    logs: { [`${LOG_GROUP}/api/api/${TASK_ID}`]: ['Using PostgreSQL at rock-of-ages-db…:5432/rockofages', 'Migrations applied: 2026-12-02-login-failures', 'Reference data: added 0 types'] },
    ...changes,
  };
}

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

function migrate(ecs: FakeEcs, extra: string[] = []) {
  sandbox = Sandbox.create({ ...instanceWorld(), ecs });
  return sandbox.runScript('run-migration-task.sh', [
    '--cluster', CLUSTER, '--service', SERVICE, '--task-definition', NEW, '--seed', 'reference',
    '--started-by', 'github-actions-4242', '--interval-seconds', '0', ...extra,
  ]);
}

const ecsCalls = (operation: string) => sandbox.calls('aws').filter((call) => call.args[0] === 'ecs' && call.args[1] === operation);

describe('run-migration-task.sh', { timeout: 60_000 }, () => {
  it("runs `setup` once as a task of the new revision, in the service's own network, with the chosen seed; waits; shows its output", () => {
    const result = migrate(cluster());

    expect(result.status, result.stderr).toBe(0);
    const [run] = ecsCalls('run-task');
    expect(run?.args.slice(0, 8)).toEqual(['ecs', 'run-task', '--cluster', CLUSTER, '--task-definition', NEW, '--launch-type', 'FARGATE']);
    const file = (option: string) => JSON.parse(run?.files[run.args[run.args.indexOf(option) + 1] ?? ''] ?? 'null') as unknown;
    expect(file('--network-configuration')).toEqual(NETWORK);
    expect(file('--overrides')).toEqual({
      containerOverrides: [{ name: 'api', command: ['node', 'dist/cli.js', 'setup'], environment: [{ name: 'SEED', value: 'reference' }] }],
    });
    expect(run?.args[run.args.indexOf('--started-by') + 1]).toBe('github-actions-4242');
    expect(ecsCalls('describe-tasks')).toHaveLength(3);
    expect(result.stdout).toContain('  | Migrations applied: 2026-12-02-login-failures');
    expect(result.stdout).toContain('Migrations and seed (SEED=reference) done: exit code 0');
  });

  it('fails, naming the exit code and the reason, when the migration fails: the workflow then never updates the service', () => {
    const result = migrate(cluster({ exitCode: 1, stoppedReason: 'Essential container in task exited', logs: { [`${LOG_GROUP}/api/api/${TASK_ID}`]: ['Migration 2026-12-02-login-failures failed: permission denied'] } }));

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('  | Migration 2026-12-02-login-failures failed: permission denied');
    expect(result.stderr).toContain('::error::the migration task ended with exit code 1 (Essential container in task exited): the service was not updated');
  });

  it('fails when the container never ran (no image, no secret): no exit code is not success', () => {
    const result = migrate(cluster({ exitCode: null, stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }));

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('exit code none (CannotPullContainerError');
  });

  it('fails at once when ECS cannot start the task', () => {
    const result = migrate(cluster({ runFailures: [{ reason: 'RESOURCE:ENI', detail: 'no free address in the subnet' }] }));

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('::error::ECS did not start the migration task: RESOURCE:ENI no free address in the subnet');
    expect(ecsCalls('describe-tasks')).toEqual([]);
  });

  it('gives up when the task outlasts the timeout', () => {
    const result = migrate(cluster({ taskStatuses: ['RUNNING'] }), ['--timeout-seconds', '0']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('::error::gave up after 0s; the migration task is still RUNNING');
  });

  it('refuses a seed it does not know, and a task definition that is not a registered revision, before calling anything', () => {
    for (const args of [['--seed', 'demo'], ['--task-definition', FAMILY]]) {
      const result = migrate(cluster(), args);
      expect(result.status).toBe(1);
      expect(ecsCalls('run-task')).toEqual([]);
      sandbox.remove();
    }
    sandbox = Sandbox.create(instanceWorld());
  });

  it('fails, naming the service, when the service does not exist', () => {
    const result = migrate(cluster({ services: {} }));

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`service ${SERVICE} in cluster ${CLUSTER} was not found`);
  });
});

describe('check-ecs-deployment.sh', { timeout: 60_000 }, () => {
  const check = (ecs: FakeEcs) => {
    sandbox = Sandbox.create({ ...instanceWorld(), ecs });
    return sandbox.runScript('check-ecs-deployment.sh', ['--cluster', CLUSTER, '--service', SERVICE, '--task-definition', NEW]);
  };

  it('passes when the service runs the new revision and its one deployment is complete', () => {
    const result = check(cluster());

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Service ${SERVICE} runs ${NEW}; its deployment is complete\n`);
  });

  it('fails when the circuit breaker rolled back to the previous revision, which a stable service alone does not tell', () => {
    const ecs = cluster();
    const service = ecs.services[SERVICE];
    if (service !== undefined) {
      service.taskDefinition = OLD;
      service.events = [{ message: `(service ${SERVICE}) deployment ecs-svc/123 deployment failed: tasks failed to start.` }];
    }

    const result = check(ecs);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('deployment failed: tasks failed to start.');
    expect(result.stderr).toContain(`::error::service ${SERVICE} runs ${OLD}, not ${NEW}: the deployment circuit breaker rolled the deploy back`);
  });

  it('fails while a deployment is still in progress', () => {
    const ecs = cluster();
    const service = ecs.services[SERVICE];
    if (service !== undefined) service.deployments = [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }, { status: 'ACTIVE', rolloutState: 'COMPLETED' }];

    const result = check(ecs);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('has 2 deployments and its primary one is IN_PROGRESS, not COMPLETED');
  });
});
