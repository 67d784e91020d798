import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { preview } from 'vite';
import { clientDir } from './paths';

const viteBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
const writeConfigScript = path.join(clientDir, 'scripts', 'write-config.sh');

export interface BuiltClient {
  outDir: string;
  remove(): Promise<void>;
}

/**
 * Builds the client once, as the pipeline does (`vite build`), into a fresh temporary folder. No API
 * address goes in: each place it is served says where the API is.
 */
export async function buildClient(): Promise<BuiltClient> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'rock-client-'));
  await promisify(execFile)(process.execPath, [viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: clientDir,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return { outDir, remove: () => rm(outDir, { recursive: true, force: true }) };
}

export interface ServeOptions {
  /** Written to config.json by scripts/write-config.sh, as a deploy or the image's start-up does. */
  apiUrl?: string;
  /** config.json's content as it is, valid or not, instead. */
  configFile?: string;
  /** Routes /api/* to this API with the prefix removed, as the CloudFront distribution does. */
  proxyApiTo?: string;
}

export interface ServedClient {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a copy of a build the way `vite preview` does (unknown paths get index.html), on a free port,
 * with its own config.json.
 */
export async function serveClient(build: BuiltClient, { apiUrl, configFile, proxyApiTo }: ServeOptions = {}): Promise<ServedClient> {
  const siteDir = await mkdtemp(path.join(tmpdir(), 'rock-client-site-'));
  await cp(build.outDir, siteDir, { recursive: true });
  if (apiUrl !== undefined) await promisify(execFile)('/bin/sh', [writeConfigScript, siteDir], { env: { PATH: process.env.PATH ?? '', API_URL: apiUrl } });
  if (configFile !== undefined) await writeFile(path.join(siteDir, 'config.json'), configFile);

  const server = await preview({
    configFile: false,
    root: clientDir,
    logLevel: 'warn',
    build: { outDir: siteDir },
    preview: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      ...(proxyApiTo !== undefined && { proxy: { '/api': { target: proxyApiTo, rewrite: (url: string) => url.replace(/^\/api/, '') } } }),
    },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview reported no local URL');
  return {
    url: url.replace(/\/$/, ''),
    close: async () => {
      await server.close();
      await rm(siteDir, { recursive: true, force: true });
    },
  };
}
