// @ts-check
// A fake AWS CLI: the ECR, SSM, Secrets Manager, CloudWatch, S3 and CloudFront calls the deploy scripts make.
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
} else if (service === 's3' && operation === 'sync') {
  process.stdout.write(`sync ${args[2]} ${args[3]}\n`);
} else if (service === 'cloudfront' && operation === 'create-invalidation') {
  process.stdout.write('I2J3K4L5\n');
} else {
  fail(`fake aws: unsupported command: ${args.join(' ')}`, 252);
}
