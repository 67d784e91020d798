import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { freshCloneEnvironment, loadCompose, service } from './support/compose.js';
import { hostEnv, hostPath, machineBasics, type RehearsedImage } from './support/image-rehearsal.js';
import { REHEARSAL_TIMEOUT_MS, rehearse, type Workspace } from './support/rehearsed-images.js';
import { freePort, ServerProcess } from './support/server-process.js';

const composeClient = service(loadCompose('docker-compose.yml'), 'client');
const browserApiUrl = freshCloneEnvironment(composeClient).VITE_API_URL;

let workspace: Workspace;
let development: RehearsedImage;
let production: RehearsedImage;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  workspace = await rehearse('client/Dockerfile');
  development = await workspace.rehearsal.build('development');
  production = await workspace.rehearsal.build('production');
}, REHEARSAL_TIMEOUT_MS);

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.kill()));
});

afterAll(async () => {
  await workspace?.remove();
});

/** `command` with the value after `--port` replaced: 3000 may be taken on this machine. */
function onPort(command: string[], port: number): string[] {
  const index = command.indexOf('--port');
  if (index === -1) throw new Error(`no --port in ${command.join(' ')}`);
  return command.map((word, position) => (position === index + 1 ? String(port) : word));
}

describe('the client image (development stage, as docker-compose.yml runs it)', () => {
  test(
    "serves the app with Vite, its code carrying the API's browser-facing URL, and stops on SIGTERM",
    async () => {
      const port = await freePort();
      const command = onPort(composeClient.command ?? [], port);
      const server = new ServerProcess(command, {
        cwd: hostPath(development, development.workdir),
        env: { ...machineBasics(), ...hostEnv(development), ...freshCloneEnvironment(composeClient) },
      });
      servers.push(server);

      const page = await (await server.waitForOk(`http://127.0.0.1:${port}/`)).text();
      expect(page).toContain('<div id="root"></div>');
      expect(page).toContain('/@vite/client');
      const envModule = await (await server.waitForOk(`http://127.0.0.1:${port}/src/config/env.ts`)).text();
      expect(envModule).toContain(`"VITE_API_URL": "${browserApiUrl}"`);

      expect(await server.stop('SIGTERM')).toBeDefined();
    },
    120_000,
  );
});

describe('the client image (production stage)', () => {
  /**
   * The official nginx image's main configuration, around the stage's own server block; only
   * the port and the folder move, to a free port and the rehearsed files.
   */
  async function nginxConfig(port: number, prefix: string): Promise<string> {
    const serverBlock = (await readFile(hostPath(production, '/etc/nginx/conf.d/default.conf'), 'utf8'))
      .replace(/listen\s+80;/, `listen 127.0.0.1:${port};`)
      .replace('root /usr/share/nginx/html;', `root ${hostPath(production, '/usr/share/nginx/html')};`);
    const serverFile = path.join(prefix, 'default.conf');
    await writeFile(serverFile, serverBlock);
    return [
      'daemon off;',
      `pid ${path.join(prefix, 'nginx.pid')};`,
      'error_log stderr;',
      'events {}',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      '  access_log off;',
      `  client_body_temp_path ${prefix};`,
      `  include ${serverFile};`,
      '}',
    ].join('\n');
  }

  test(
    'serves the built app with nginx, answering browser routes with index.html and caching assets for good',
    async () => {
      const port = await freePort();
      const prefix = path.join(workspace.workDir, 'nginx');
      await mkdir(prefix, { recursive: true });
      const configFile = path.join(prefix, 'nginx.conf');
      await writeFile(configFile, await nginxConfig(port, prefix));
      const server = new ServerProcess(['nginx', '-e', 'stderr', '-p', prefix, '-c', configFile], { cwd: prefix, env: machineBasics() });
      servers.push(server);

      const home = await (await server.waitForOk(`http://127.0.0.1:${port}/`)).text();
      expect(home).toContain('<div id="root"></div>');
      const deepLink = await fetch(`http://127.0.0.1:${port}/rocks`);
      expect(deepLink.status).toBe(200);
      expect(await deepLink.text()).toBe(home);

      const [script] = (await readdir(hostPath(production, '/usr/share/nginx/html/assets'))).filter((file) => file.endsWith('.js'));
      const asset = await fetch(`http://127.0.0.1:${port}/assets/${script}`);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // The build carries no API address: the client reads /config.json (or calls its own /api) at start.
      expect(await asset.text()).not.toContain(browserApiUrl);

      expect(await server.stop('SIGQUIT')).toEqual({ code: 0, signal: null });
    },
    60_000,
  );
});
