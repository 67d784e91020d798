import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { World } from '../fakes/world.js';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const deployScripts = path.join(repositoryRoot, 'scripts', 'deploy');
const fakesDirectory = fileURLToPath(new URL('../fakes/', import.meta.url));
const FAKE_COMMANDS = ['docker', 'aws', 'curl', 'gh'] as const;

export interface Call {
  command: (typeof FAKE_COMMANDS)[number];
  args: string[];
  stdin?: string;
  /** Contents of each `file://` argument at the time of the call. */
  files: Record<string, string>;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A temporary directory with fake docker, aws, curl and gh commands first on PATH, sharing one
 * pretend world, and a place for the deploy script's state (its /etc/rock-of-ages).
 */
export class Sandbox {
  readonly stateDirectory: string;
  private readonly binDirectory: string;
  private readonly worldFile: string;
  private readonly logFile: string;

  private constructor(readonly directory: string) {
    this.binDirectory = path.join(directory, 'bin');
    this.stateDirectory = path.join(directory, 'etc-rock-of-ages');
    this.worldFile = path.join(directory, 'world.json');
    this.logFile = path.join(directory, 'calls.jsonl');
  }

  static create(world: World): Sandbox {
    const sandbox = new Sandbox(mkdtempSync(path.join(tmpdir(), 'rock-pipeline-')));
    mkdirSync(sandbox.binDirectory);
    for (const command of FAKE_COMMANDS) {
      const shim = path.join(sandbox.binDirectory, command);
      const fake = path.join(fakesDirectory, `fake-${command}.mjs`);
      writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${fake}' "$@"\n`);
      chmodSync(shim, 0o755);
    }
    writeFileSync(sandbox.logFile, '');
    sandbox.setWorld(world);
    return sandbox;
  }

  world(): World {
    return JSON.parse(readFileSync(this.worldFile, 'utf8')) as World;
  }

  setWorld(world: World): void {
    writeFileSync(this.worldFile, JSON.stringify(world, null, 2));
  }

  calls(command?: Call['command']): Call[] {
    const all = readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Call);
    return command === undefined ? all : all.filter((call) => call.command === command);
  }

  /** The environment the scripts run with: the fakes first on PATH, quick health polling. */
  environment(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: `${this.binDirectory}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: this.directory,
      FAKE_STATE: this.worldFile,
      FAKE_LOG: this.logFile,
      DEPLOY_STATE_DIR: this.stateDirectory,
      HEALTH_ATTEMPTS: '3',
      HEALTH_INTERVAL_SECONDS: '0',
      ...extra,
    };
  }

  /** Runs one of scripts/deploy/*.sh with bash, as the workflows do. */
  runScript(script: string, args: readonly string[], extraEnvironment: Record<string, string> = {}): RunResult {
    return this.run('bash', [path.join(deployScripts, script), ...args], extraEnvironment);
  }

  run(
    program: string,
    args: readonly string[],
    extraEnvironment: Record<string, string> = {},
    cwd = this.directory,
  ): RunResult {
    const result = spawnSync(program, args, {
      cwd,
      env: this.environment(extraEnvironment),
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.error !== undefined) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
