// @ts-check
// A fake AWS CLI: the ECR, SSM, Secrets Manager, CloudWatch, ECS, S3 and CloudFront calls the deploy scripts make.
import { readFileSync } from 'node:fs';
import { fail, loadWorld, optionValue, recordCall, saveWorld } from './fake-world.mjs';

const args = process.argv.slice(2);
recordCall(args);
const world = loadWorld();
const [service = '', operation = ''] = args;

/**
 * The JSON request the scripts hand over as file://path (they delete the file right after).
 * @param {string} name
 * @returns {Record<string, unknown>}
 */
function requestFile(name) {
  const value = optionValue(args, name) ?? fail(`fake aws: ${name} is required`);
  if (!value.startsWith('file://')) fail(`fake aws: expected ${name} file://...`);
  return JSON.parse(readFileSync(value.slice('file://'.length), 'utf8'));
}

if (service === 'ecr' && operation === 'get-login-password') {
  process.stdout.write(`${world.ecrPassword}\n`);
} else if (service === 'ssm' && operation === 'get-parameters') {
  const name = optionValue(args, '--names') ?? '';
  if (!args.includes('--with-decryption')) fail('fake aws: SecureString values need --with-decryption');
  const value = world.parameters[name];
  process.stdout.write(value === undefined ? '\n' : `${value}\n`);
} else if (service === 'secretsmanager' && operation === 'get-secret-value') {
  const arn = optionValue(args, '--secret-id') ?? '';
  if (optionValue(args, '--query') !== 'SecretString') fail('fake aws: expected --query SecretString');
  const secret = world.secrets[arn];
  if (secret === undefined) {
    fail(`An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: no secret ${arn}`, 254);
  }
  process.stdout.write(`${secret}\n`);
} else if (service === 'ssm' && operation === 'put-parameter') {
  const request = requestFile('--cli-input-json');
  if (request.Type !== 'SecureString' && request.Type !== 'String') fail('fake aws: expected a String or SecureString');
  world.parameters[String(request.Name)] = String(request.Value);
  saveWorld(world);
  process.stdout.write('7\n');
} else if (service === 'ssm' && operation === 'send-command') {
  requestFile('--parameters');
  process.stdout.write('0b1c2d3e-command\n');
} else if (service === 'ssm' && operation === 'list-command-invocations') {
  const { invocation } = world;
  const reached = (invocation.reached ?? [[]]).length > 1 ? invocation.reached?.shift() : invocation.reached?.[0];
  saveWorld(world);
  process.stdout.write(`${(reached ?? []).join('\t')}\n`);
} else if (service === 'cloudwatch' && operation === 'put-metric-data') {
  // Recorded in the call log; nothing to answer.
} else if (service === 'ssm' && operation === 'get-command-invocation') {
  const query = optionValue(args, '--query');
  const { invocation } = world;
  if (query === 'Status') {
    const status = invocation.statuses.length > 1 ? invocation.statuses.shift() : invocation.statuses[0];
    saveWorld(world);
    if (status === 'InvocationDoesNotExist' || status === 'AccessDeniedException') {
      fail(`An error occurred (${status}) when calling the GetCommandInvocation operation`, 254);
    }
    process.stdout.write(`${status ?? 'Pending'}\n`);
  } else if (query === 'StandardOutputContent') {
    process.stdout.write(`${invocation.stdout}\n`);
  } else if (query === 'StandardErrorContent') {
    process.stdout.write(`${invocation.stderr}\n`);
  } else {
    fail(`fake aws: unsupported query ${query}`);
  }
} else if (service === 'ecs' || (service === 'logs' && operation === 'get-log-events')) {
  ecs();
} else if (service === 's3' && operation === 'sync') {
  process.stdout.write(`sync ${args[2]} ${args[3]}\n`);
} else if (service === 'cloudfront' && operation === 'create-invalidation') {
  process.stdout.write('I2J3K4L5\n');
} else {
  fail(`fake aws: unsupported command: ${args.join(' ')}`, 252);
}

/** The ECS (and CloudWatch Logs) calls of the ECS deploy scripts, answered as JSON from the world's cluster. */
function ecs() {
  const cluster = world.ecs ?? fail('fake aws: this world has no ECS cluster');
  if (optionValue(args, '--output') !== 'json') fail('fake aws: the ECS scripts read JSON (--output json)');
  /** @param {unknown} value */
  const answer = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
  if (operation === 'describe-services') {
    const found = cluster.services[optionValue(args, '--services') ?? ''];
    answer(found === undefined ? { services: [], failures: [{ reason: 'MISSING' }] } : { services: [found], failures: [] });
  } else if (operation === 'run-task') {
    const definition = optionValue(args, '--task-definition') ?? '';
    if (cluster.taskDefinitions[definition] === undefined) fail(`An error occurred (ClientException) when calling the RunTask operation: Unable to describe task definition.`, 254);
    requestFile('--network-configuration');
    requestFile('--overrides');
    if (cluster.runFailures !== undefined) answer({ tasks: [], failures: cluster.runFailures });
    else answer({ tasks: [{ taskArn: `arn:aws:ecs:us-east-2:123456789012:task/${optionValue(args, '--cluster')}/${cluster.taskId}` }], failures: [] });
  } else if (operation === 'describe-tasks') {
    const status = cluster.taskStatuses.length > 1 ? cluster.taskStatuses.shift() : cluster.taskStatuses[0];
    saveWorld(world);
    const stopped = status === 'STOPPED';
    answer({
      tasks: [
        {
          taskArn: optionValue(args, '--tasks'),
          lastStatus: status,
          ...(stopped && cluster.stoppedReason !== undefined ? { stoppedReason: cluster.stoppedReason } : {}),
          containers: [
            {
              name: 'api',
              ...(stopped && cluster.exitCode !== null ? { exitCode: cluster.exitCode } : {}),
              ...(stopped && cluster.containerReason !== undefined ? { reason: cluster.containerReason } : {}),
            },
          ],
        },
      ],
    });
  } else if (operation === 'describe-task-definition') {
    const found = cluster.taskDefinitions[optionValue(args, '--task-definition') ?? ''];
    if (found === undefined) fail('An error occurred (ClientException) when calling the DescribeTaskDefinition operation: Unable to describe task definition.', 254);
    answer({ taskDefinition: found });
  } else if (service === 'logs' && operation === 'get-log-events') {
    const messages = cluster.logs[`${optionValue(args, '--log-group-name')}/${optionValue(args, '--log-stream-name')}`];
    if (messages === undefined) fail('An error occurred (ResourceNotFoundException) when calling the GetLogEvents operation: The specified log stream does not exist.', 254);
    answer({ events: messages.map((message) => ({ message })) });
  } else {
    fail(`fake aws: unsupported command: ${args.join(' ')}`, 252);
  }
}
