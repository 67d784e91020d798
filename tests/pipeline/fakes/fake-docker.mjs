// @ts-check
// A fake `docker` for the deploy script's tests: the subcommands deploy-api.sh uses, acting on the
// world in FAKE_STATE, each call logged.
import { fail, loadWorld, optionValue, readStdin, recordCall, saveWorld, without } from './fake-world.mjs';

/** @typedef {import('./world.js').World} World */
/** @typedef {import('./world.js').FakeContainer} FakeContainer */
/** @typedef {import('./world.js').FakeMount} FakeMount */

const args = process.argv.slice(2);
const stdin = args.includes('--password-stdin') ? readStdin() : undefined;
recordCall(args, stdin);
const world = loadWorld();

/** @param {string} reference */
function image(reference) {
  return world.images[reference] ?? fail(`Error: No such image: ${reference}`);
}

/** @param {string} name */
function container(name) {
  return world.containers[name] ?? fail(`Error: No such container: ${name}`);
}

/**
 * The few Go templates the script asks for.
 * @param {string} format
 * @param {Record<string, string | number>} fields
 */
function render(format, fields) {
  return format.replace(/\{\{(\.[A-Za-z.]+)\}\}/g, (_, field) => {
    const value = fields[field];
    if (value === undefined) fail(`fake docker: unsupported template field ${field}`);
    return String(value);
  });
}

/** @param {string} spec type=bind,source=...,target=...,readonly */
function parseMount(spec) {
  /** @type {Record<string, string>} */
  const parts = {};
  for (const part of spec.split(',')) {
    const [key = '', value = 'true'] = part.split('=');
    parts[key] = value;
  }
  return { source: parts.source ?? '', target: parts.target ?? '', readonly: parts.readonly === 'true' };
}

const VALUE_OPTIONS = new Set([
  '--name', '--restart', '-p', '--mount', '--cap-drop', '--security-opt', '--log-opt', '--log-driver', '-e', '--env',
  '--env-file', '--entrypoint', '--label', '-v', '--user',
]);

/** @param {string[]} runArgs the arguments after `run` */
function run(runArgs) {
  let index = 0;
  /** @type {FakeMount[]} */
  const mounts = [];
  /** @type {string[]} */
  const env = [];
  /** @type {string[]} */
  const publish = [];
  let name = '';
  let entrypoint = '';
  while (index < runArgs.length && (runArgs[index] ?? '').startsWith('-')) {
    const option = runArgs[index] ?? '';
    const value = runArgs[index + 1] ?? '';
    if (!VALUE_OPTIONS.has(option)) {
      index += 1;
      continue;
    }
    if (option === '--name') name = value;
    if (option === '--mount') mounts.push(parseMount(value));
    if (option === '-e' || option === '--env') env.push(value);
    if (option === '-p') publish.push(value);
    if (option === '--entrypoint') entrypoint = value;
    index += 2;
  }
  const reference = runArgs[index] ?? fail('fake docker run: no image');
  const pulled = image(reference);
  if (runArgs.includes('--rm') && entrypoint === 'id') {
    process.stdout.write(`${pulled.uid}\n`);
    return;
  }
  if (world.containers[name] !== undefined) fail(`Error: the container name "/${name}" is already in use`, 125);
  const taken = Object.values(world.containers).some(
    (other) => other.status === 'running' && other.publish.some((port) => publish.includes(port)),
  );
  if (taken) fail('Error: Bind for 0.0.0.0:80 failed: port is already allocated', 125);
  world.containers[name] = {
    image: reference,
    imageId: pulled.id,
    status: pulled.crashes === true ? 'restarting' : 'running',
    restartCount: pulled.crashes === true ? 1 : 0,
    mounts,
    env,
    publish,
  };
  saveWorld(world);
  process.stdout.write(`${name}-id\n`);
}

/** @param {string} name @param {string | undefined} format */
function inspectContainer(name, format) {
  const found = container(name);
  if (format === undefined) {
    process.stdout.write(`${JSON.stringify([found])}\n`);
    return;
  }
  const fields = {
    '.Image': found.imageId,
    '.Config.Image': found.image,
    '.State.Running': String(found.status === 'running'),
    '.State.Status': found.status,
    '.RestartCount': found.restartCount,
  };
  process.stdout.write(`${render(format, fields)}\n`);
}

/** @param {string} reference @param {string | undefined} format */
function inspectImage(reference, format) {
  const found = image(reference);
  const fields = { '.Id': found.id, '.Config.User': found.user, '.Config.WorkingDir': found.workdir };
  process.stdout.write(`${render(format ?? '{{.Id}}', fields)}\n`);
}

/** @param {string} repository */
function listImages(repository) {
  for (const [reference, found] of Object.entries(world.images)) {
    const tag = reference.slice(reference.lastIndexOf(':') + 1);
    if (reference === `${repository}:${tag}`) process.stdout.write(`${tag} ${found.id}\n`);
  }
}

/** @param {string} reference */
function removeImage(reference) {
  const inUse = Object.values(world.containers).some((each) => each.image === reference);
  if (world.images[reference] === undefined) fail(`Error: No such image: ${reference}`);
  if (inUse) fail(`Error: conflict: unable to remove ${reference}: it is used by a container`, 1);
  world.images = without(world.images, reference);
  saveWorld(world);
}

const [first = '', second = ''] = args;
const last = args.at(-1) ?? '';
const format = optionValue(args, '--format');

if (first === 'login') {
  if (stdin?.trim() !== world.ecrPassword) fail('Error response from daemon: login attempt failed: no basic auth credentials');
  process.stdout.write('Login Succeeded\n');
} else if (first === 'pull') {
  const pulled = world.registry[last] ?? fail(`Error response from daemon: manifest for ${last} not found`);
  world.images[last] = pulled;
  saveWorld(world);
} else if (first === 'image' && second === 'inspect') {
  inspectImage(last, format);
} else if (first === 'image' && second === 'ls') {
  listImages(last);
} else if (first === 'image' && second === 'rm') {
  removeImage(last);
} else if (first === 'container' && second === 'inspect') {
  inspectContainer(last, format);
} else if (first === 'run') {
  run(args.slice(1));
} else if (first === 'stop') {
  container(last).status = 'exited';
  saveWorld(world);
} else if (first === 'start') {
  const found = container(last);
  found.status = image(found.image).crashes === true ? 'restarting' : 'running';
  saveWorld(world);
} else if (first === 'rename') {
  const renamed = container(second);
  world.containers = { ...without(world.containers, second), [last]: renamed };
  saveWorld(world);
} else if (first === 'rm') {
  const found = container(last);
  if (found.status === 'running' && !args.includes('--force')) fail(`Error: cannot remove running container ${last}`);
  world.containers = without(world.containers, last);
  saveWorld(world);
} else if (first === 'logs') {
  process.stdout.write(image(container(last).image).logs);
} else {
  fail(`fake docker: unsupported command: ${args.join(' ')}`);
}
