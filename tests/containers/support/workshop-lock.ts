import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK = path.join(os.tmpdir(), 'rock-of-ages-workshop.lock');

function holder(): number | undefined {
  try {
    return Number(readFileSync(path.join(LOCK, 'pid'), 'utf8'));
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock without a pid for a while: its holder died between making it and signing it. */
function stale(): boolean {
  try {
    return Date.now() - statSync(LOCK).mtimeMs > 10_000;
  } catch {
    return true;
  }
}

/**
 * The workshop's fixed host ports (8000, 3000) and container names (postgres-db, api-container,
 * client-container) belong to the machine, not to one test: a test that uses them, or checks that
 * they are free, holds this lock, shared by every checkout on the machine. A holder that died
 * leaves a lock that the next one takes over. Returns the release.
 */
export async function holdWorkshopLock(timeoutMs = 1_500_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = holder();
    if (pid === undefined ? stale() : !alive(pid)) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`${LOCK} is still held by process ${pid} after ${timeoutMs} ms`);
    else await sleep(1_000);
  }
}
