import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './sandbox.js';

const apiDirectory = path.join(repositoryRoot, 'api');
const serverScript = path.join(apiDirectory, 'dist', 'server.js');

function newestModification(directory: string): number {
  return Math.max(
    ...readdirSync(directory, { withFileTypes: true }).map((entry) => {
      const entryPath = path.join(directory, entry.name);
      return entry.isDirectory() ? newestModification(entryPath) : statSync(entryPath).mtimeMs;
    }),
  );
}

/** Compiles the API unless api/dist is newer than every source file of the API and of the contract it imports. */
export function buildApiIfStale(): void {
  const sources = [path.join(apiDirectory, 'src'), path.join(repositoryRoot, 'contract', 'src')];
  if (existsSync(serverScript) && statSync(serverScript).mtimeMs >= Math.max(...sources.map(newestModification))) {
    return;
  }
  const result = spawnSync('npm', ['run', 'build', '--workspace', 'api'], { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the API failed:\n${result.stdout}${result.stderr}`);
}
