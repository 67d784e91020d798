import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { packBetterSqlite3Prebuild } from './better-sqlite3-prebuild.js';
import { ImageRehearsal } from './image-rehearsal.js';
import { repoPath, repoRoot } from './repository.js';

/** How long rehearsing an image may take on a busy two-core machine (npm ci runs in it). */
export const REHEARSAL_TIMEOUT_MS = 600_000;

export interface Workspace {
  rehearsal: ImageRehearsal;
  workDir: string;
  remove: () => Promise<void>;
}

/**
 * A rehearsal of `dockerfile` in a new temporary folder. npm works from its cache, which the
 * checkout's own `npm ci` filled: the same packages a real build downloads, by the lock file.
 */
export async function rehearse(dockerfile: string): Promise<Workspace> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'image-rehearsal-'));
  // Readable by servers that drop privileges (nginx's workers), as an image's files are.
  await chmod(workDir, 0o755);
  const prebuild = await packBetterSqlite3Prebuild(path.join(workDir, 'prebuilds'));
  const rehearsal = await ImageRehearsal.open({
    dockerfile: repoPath(dockerfile),
    context: repoRoot,
    workDir,
    runEnv: { npm_config_prefer_offline: 'true', ...prebuild },
  });
  return { rehearsal, workDir, remove: () => rm(workDir, { recursive: true, force: true }) };
}
