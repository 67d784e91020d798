import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoPath } from './repository.js';

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A copy of scripts/docker-network.sh in a scratch tree (it works from its parent folder, with
 * api/.env.local.example), next to a `docker` that records its arguments, one call a line, prints
 * FAKE_DOCKER_ANSWER (as a query's answer) and fails (exit 1) when its arguments begin with
 * FAKE_DOCKER_FAIL_ON, or always with FAKE_DOCKER_EXIT.
 */
export class NetworkScriptSandbox {
  private constructor(readonly folder: string) {}

  static async create(): Promise<NetworkScriptSandbox> {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'docker-network-'));
    await Promise.all(['scripts', 'api', 'bin'].map((name) => mkdir(path.join(folder, name))));
    await copyFile(repoPath('scripts', 'docker-network.sh'), path.join(folder, 'scripts', 'docker-network.sh'));
    await copyFile(repoPath('api', '.env.local.example'), path.join(folder, 'api', '.env.local.example'));
    const fakeDocker = path.join(folder, 'bin', 'docker');
    await writeFile(
      fakeDocker,
      [
        '#!/bin/sh',
        `echo "$*" >> '${path.join(folder, 'docker-calls.log')}'`,
        'if [ -n "${FAKE_DOCKER_ANSWER:-}" ]; then echo "$FAKE_DOCKER_ANSWER"; fi',
        'if [ -n "${FAKE_DOCKER_FAIL_ON:-}" ]; then case "$*" in "$FAKE_DOCKER_FAIL_ON"*) exit 1 ;; esac; fi',
        'exit "${FAKE_DOCKER_EXIT:-0}"',
        '',
      ].join('\n'),
    );
    await chmod(fakeDocker, 0o755);
    return new NetworkScriptSandbox(folder);
  }

  run(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
    const fullEnv = { PATH: `${path.join(this.folder, 'bin')}:${process.env.PATH ?? ''}`, ...env };
    return new Promise((resolve) => {
      execFile('bash', [path.join(this.folder, 'scripts', 'docker-network.sh'), ...args], { env: fullEnv, cwd: os.tmpdir() }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code ?? -1), stdout, stderr });
      });
    });
  }

  async dockerCalls(): Promise<string[]> {
    return (await readFile(path.join(this.folder, 'docker-calls.log'), 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
  }

  remove(): Promise<void> {
    return rm(this.folder, { recursive: true, force: true });
  }
}

/** The commands the script printed (`+ …` lines), each as its words (it quotes only with '…'). */
export function printedCommands(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('+ '))
    .map((line) => [...line.slice(2).matchAll(/'([^']*)'|(\S+)/g)].map(([, quoted, plain]) => quoted ?? plain ?? ''));
}

/** Every value given to `flag` in a command (`--env A=1 --env B=2` → ['A=1', 'B=2']). */
export function flagValues(words: string[], flag: string): string[] {
  return words.flatMap((word, index) => (word === flag && words[index + 1] !== undefined ? [words[index + 1] as string] : []));
}
