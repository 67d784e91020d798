import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { preview } from 'vite';
import { clientDir } from './paths';

const viteBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');

export interface BuiltClient {
  outDir: string;
  remove(): Promise<void>;
}

/** Builds the client as a user would (`VITE_API_URL=... vite build`) into a fresh temporary folder. */
export async function buildClient(apiUrl: string): Promise<BuiltClient> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'rock-client-'));
  await promisify(execFile)(process.execPath, [viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: clientDir,
    env: { ...process.env, VITE_API_URL: apiUrl, NODE_ENV: 'production' },
  });
  return { outDir, remove: () => rm(outDir, { recursive: true, force: true }) };
}

export interface ServedClient {
  url: string;
  close(): Promise<void>;
}

/** Serves a build the way `vite preview` does (unknown paths get index.html), on a free port. */
export async function serveClient(outDir: string): Promise<ServedClient> {
  const server = await preview({
    configFile: false,
    root: clientDir,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview reported no local URL');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}
