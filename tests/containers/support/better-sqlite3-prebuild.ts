import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoPath } from './repository.js';

const run = promisify(execFile);

/**
 * A real image build downloads better-sqlite3's prebuilt binary from GitHub, which this machine
 * cannot reach (it would compile SQLite instead, for minutes). prebuild-install looks in a local
 * folder first, so the binary this checkout already has is packed there under the name the
 * download would have, and the package's own install script takes it from there.
 */
export async function packBetterSqlite3Prebuild(folder: string): Promise<Record<string, string>> {
  const packageDir = repoPath('node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await mkdir(folder, { recursive: true });
  await run('tar', ['-czf', path.join(folder, name), '-C', packageDir, 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: folder };
}
