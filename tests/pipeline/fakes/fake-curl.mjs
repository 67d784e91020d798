// @ts-check
// A fake `curl`: the RDS certificate bundle download, and the API's /health served by whichever fake
// container publishes port 80. Like the real API, the answer's "instance" comes from the `.env` file
// mounted into the container's working directory, read with Node's own parser.
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

if (url.endsWith('/global-bundle.pem')) {
  if (world.rdsCaBundle === null) fail('curl: (6) Could not resolve host: truststore.pki.rds.amazonaws.com', 6);
  writeFileSync(output, world.rdsCaBundle);
} else if (url.endsWith('/health')) {
  const serving = Object.values(world.containers).find(
    (container) => container.status === 'running' && container.publish.includes('80:8000'),
  );
  if (serving === undefined) {
    process.stdout.write('000');
    fail('curl: (7) Failed to connect to 127.0.0.1 port 80: Connection refused', 7);
  }
  const up = world.images[serving.image]?.database === 'ok';
  const body = { status: up ? 'ok' : 'error', instance: instanceIdOf(serving), database: up ? 'ok' : 'unreachable' };
  writeFileSync(output, JSON.stringify(body));
  process.stdout.write(up ? '200' : '503');
} else {
  fail(`fake curl: unexpected address ${url}`, 6);
}
