// @ts-check
// A fake `curl`: the RDS certificate bundle download, the instance metadata service, and the API's
// /health (and /rocks without a token) served by whichever fake container publishes port 80, on the
// host itself or through CloudFront's public address. Like the real API, the answer's "instance" comes
// from the `.env` file mounted into the container's working directory, read with Node's own parser.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { fail, loadWorld, optionValue, recordCall } from './fake-world.mjs';

/** @typedef {import('./world.js').FakeContainer} FakeContainer */

const args = process.argv.slice(2);
recordCall(args);
const world = loadWorld();
const url = args.at(-1) ?? '';
const output = optionValue(args, '-o') ?? fail('fake curl: the scripts always pass -o');

/** @param {FakeContainer} container */
function instanceIdOf(container) {
  const image = world.images[container.image];
  const serverDirectory = image?.serverDirectory ?? image?.workdir ?? '';
  const envFile = container.mounts.find((mount) => mount.target === `${serverDirectory}/.env`);
  if (envFile === undefined) return 'unknown';
  return parseEnv(readFileSync(envFile.source, 'utf8')).INSTANCE_ID ?? 'unknown';
}

/** Writes the body to `-o`'s file and, as `-w '%{http_code}'` asks, the status to stdout.
 * @param {number} status @param {unknown} body */
function answer(status, body) {
  writeFileSync(output, typeof body === 'string' ? body : JSON.stringify(body));
  if (optionValue(args, '-w') === '%{http_code}') process.stdout.write(String(status));
}

/** The API in the container that publishes port 80, as it answers `path`; connection refused without one.
 * @param {string} path */
function api(path) {
  const serving = Object.values(world.containers).find(
    (container) => container.status === 'running' && container.publish.includes('80:8000'),
  );
  if (serving === undefined) {
    if (optionValue(args, '-w') === '%{http_code}') process.stdout.write('000');
    fail('curl: (7) Failed to connect to 127.0.0.1 port 80: Connection refused', 7);
  }
  if (path === '/rocks') return answer(401, { detail: 'Authentication credentials were not provided.' });
  if (path !== '/health') return answer(404, { detail: 'Not found.' });
  const up = world.images[serving.image]?.database === 'ok';
  answer(up ? 200 : 503, { status: up ? 'ok' : 'error', instance: instanceIdOf(serving), database: up ? 'ok' : 'unreachable' });
}

const publicApi = /^https:\/\/[a-z0-9]+\.cloudfront\.net\/api(\/.*)$/.exec(url);
if (url.endsWith('/global-bundle.pem')) {
  if (world.rdsCaBundle === null) fail('curl: (6) Could not resolve host: truststore.pki.rds.amazonaws.com', 6);
  writeFileSync(output, world.rdsCaBundle);
} else if (url === 'http://169.254.169.254/latest/api/token') {
  if (!args.includes('PUT')) fail('fake curl: IMDSv2 tokens come from a PUT', 22);
  answer(200, 'AQAEAFakeImdsToken==');
} else if (url === 'http://169.254.169.254/latest/meta-data/instance-id') {
  if (!args.includes('X-aws-ec2-metadata-token: AQAEAFakeImdsToken==')) fail('curl: (22) The requested URL returned error: 401', 22);
  answer(200, world.instanceId);
} else if (url === 'http://127.0.0.1:80/health') {
  api('/health');
} else if (publicApi !== null) {
  if (world.cloudFront === 'error') answer(502, '<html><body>502 Bad Gateway: CloudFront could not reach the origin</body></html>');
  else api(publicApi[1] ?? '');
} else {
  fail(`fake curl: unexpected address ${url}`, 6);
}
