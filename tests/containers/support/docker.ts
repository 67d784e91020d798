import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoPath, repoRoot } from './repository.js';

/**
 * The Docker engine the container tests use, through a docker command that can build with
 * BuildKit: DOCKER when set, else `docker` when it has buildx or is older than 23 (BuildKit
 * built in), else Debian's /usr/bin/docker. Builds run with DOCKER_BUILDKIT=1.
 */
export type Engine = { available: true; docker: string } | { available: false; reason: string };

/** Every container and network the tests make carries this label, for clean-up. */
const TEST_LABEL = 'org.rock-of-ages.test';

function probe(docker: string): string | undefined {
  try {
    const version = execFileSync(docker, ['version', '--format', '{{.Client.Version}}|{{.Server.Version}}'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
    }).trim();
    const [client = ''] = version.split('|');
    if (Number(client.split('.')[0]) >= 23) execFileSync(docker, ['buildx', 'version'], { stdio: 'ignore', timeout: 15_000 });
    // Its full path, so that scripts find the same command (dockerBinFolder).
    return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', docker], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function findEngine(): Engine {
  const candidates = process.env.DOCKER ? [process.env.DOCKER] : ['docker', '/usr/bin/docker'];
  for (const candidate of candidates) {
    const docker = probe(candidate);
    if (docker !== undefined) return { available: true, docker };
  }
  return {
    available: false,
    reason: `no Docker engine answered a BuildKit-capable docker command (tried ${candidates.join(', ')}): start dockerd, or set DOCKER`,
  };
}

export const engine: Engine = findEngine();

/**
 * CI must never skip: CONTAINER_TESTS=required (set by .ci/run) or CI=true make a missing engine
 * an error. Elsewhere the engine's tests are skipped, saying why.
 */
export function engineRequired(): boolean {
  return process.env.CONTAINER_TESTS === 'required' || process.env.CI === 'true';
}

export function dockerCommand(): string {
  if (!engine.available) throw new Error(engine.reason);
  return engine.docker;
}

/**
 * A folder holding only a `docker` that is the engine's command, for scripts that call plain
 * `docker` (scripts/docker-network.sh): put it first on their PATH.
 */
export function dockerBinFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'docker-bin-'));
  symlinkSync(dockerCommand(), path.join(folder, 'docker'));
  return folder;
}

/** The environment for docker and for scripts that call it. */
export function dockerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_BUILDKIT: '1', ...extra };
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs docker; failure is a Result with its code unless `check` (the default) makes it throw. */
export function docker(args: string[], options: { input?: string; timeoutMs?: number; check?: boolean; cwd?: string } = {}): Promise<Result> {
  const { input, timeoutMs = 120_000, check = true, cwd = repoRoot } = options;
  return new Promise((resolve, reject) => {
    const child = execFile(dockerCommand(), args, { cwd, env: dockerEnv(), timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      const result = { code, stdout, stderr };
      if (code !== 0 && check) reject(new Error(`docker ${args.join(' ')} failed (${code}):\n${stderr.slice(-4000)}${stdout.slice(-2000)}`));
      else resolve(result);
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** What container `name` has written to both of its streams so far; empty when there is no such container. */
export async function containerLogs(name: string): Promise<string> {
  const { stdout, stderr } = await docker(['logs', name], { check: false });
  return stdout + stderr;
}

/** Makes the stand-in base images that are missing (scripts/ci/base-images.sh; quick when they exist). */
export async function ensureBaseImages(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [repoPath('scripts', 'ci', 'base-images.sh')], { env: dockerEnv({ DOCKER: dockerCommand() }), timeout: 900_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`scripts/ci/base-images.sh failed:\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

export interface BuildResult {
  tag: string;
  seconds: number;
  /** Every step came from the build cache. */
  cached: boolean;
  log: string;
}

/** `docker build` from the repository root, with BuildKit; throws with the end of the log when it fails. */
export async function build(options: { dockerfile: string; tag: string; target?: string; buildArgs?: Record<string, string> }): Promise<BuildResult> {
  const args = ['build', '--progress=plain', '--file', options.dockerfile, '--tag', options.tag];
  if (options.target !== undefined) args.push('--target', options.target);
  for (const [name, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${name}=${value}`);
  args.push('.');
  const started = performance.now();
  const result = await docker(args, { timeoutMs: 1_200_000, check: false });
  const log = result.stdout + result.stderr;
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${log.split('\n').slice(-60).join('\n')}`);
  return { tag: options.tag, seconds: Math.round((performance.now() - started) / 100) / 10, cached: everyStepCached(log), log };
}

/** In BuildKit's plain log a step is `#N [stage k/n] …` and ends `#N CACHED` or `#N DONE …` (FROM always ends DONE). */
function everyStepCached(log: string): boolean {
  const lines = log.split('\n');
  const steps = new Set(lines.flatMap((line) => /^#(\d+) \[(?!internal\])[^\]]*\] (?!FROM )/.exec(line)?.[1] ?? []));
  return steps.size > 0 && !lines.some((line) => steps.has(/^#(\d+) DONE/.exec(line)?.[1] ?? ''));
}

export interface ImageInfo {
  Id: string;
  Size: number;
  Config: {
    User: string;
    WorkingDir: string;
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Env: string[];
    ExposedPorts?: Record<string, object>;
    Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
    StopSignal?: string;
    Volumes?: Record<string, object> | null;
    Labels: Record<string, string> | null;
  };
}

export async function inspectImage(image: string): Promise<ImageInfo> {
  const [info] = JSON.parse((await docker(['image', 'inspect', image])).stdout) as ImageInfo[];
  if (info === undefined) throw new Error(`no image ${image}`);
  return info;
}

/** `docker history` of an image: each layer's size in bytes and the instruction that made it. */
export async function imageHistory(image: string): Promise<{ size: string; createdBy: string }[]> {
  const { stdout } = await docker(['history', '--no-trunc', '--format', '{{.Size}}\t{{.CreatedBy}}', image]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [size = '', ...rest] = line.split('\t');
      return { size, createdBy: rest.join('\t') };
    });
}

export interface RunOptions {
  image: string;
  name?: string;
  network?: string;
  /** Another name the container answers to on its network (as a Compose service name does). */
  networkAlias?: string;
  env?: Record<string, string>;
  envFile?: string;
  /** Container ports to publish on a free port of 127.0.0.1 (read them with `port`). */
  publish?: number[];
  /** `docker run --volume` values: `host:container`, or a container path for an anonymous volume. */
  volumes?: string[];
  user?: string;
  entrypoint?: string;
  command?: string[];
  /** Extra `docker run` flags. */
  flags?: string[];
}

/** A container this test process started; `remove` (or the scope's clean-up) deletes it with its anonymous volumes. */
export class Container {
  constructor(
    readonly id: string,
    readonly name: string,
  ) {}

  static async run(scope: DockerScope, options: RunOptions): Promise<Container> {
    const name = options.name ?? scope.uniqueName(path.basename(options.image.split(':')[0] ?? 'container'));
    const args = ['run', '--detach', '--name', name, '--label', `${TEST_LABEL}=${scope.id}`];
    if (options.network !== undefined) args.push('--network', options.network);
    if (options.networkAlias !== undefined) args.push('--network-alias', options.networkAlias);
    if (options.envFile !== undefined) args.push('--env-file', options.envFile);
    for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`);
    for (const port of options.publish ?? []) args.push('--publish', `127.0.0.1::${port}`);
    for (const volume of options.volumes ?? []) args.push('--volume', volume);
    if (options.user !== undefined) args.push('--user', options.user);
    if (options.entrypoint !== undefined) args.push('--entrypoint', options.entrypoint);
    args.push(...(options.flags ?? []), options.image, ...(options.command ?? []));
    const { stdout } = await docker(args);
    return new Container(stdout.trim(), name);
  }

  /** The host port (on 127.0.0.1) that the container's `port` is published on. */
  async port(port: number): Promise<number> {
    const { stdout } = await docker(['port', this.name, `${port}/tcp`]);
    const match = /:(\d+)\s*$/m.exec(stdout);
    if (match?.[1] === undefined) throw new Error(`${this.name} does not publish ${port}: ${stdout}`);
    return Number(match[1]);
  }

  exec(command: string[], options: ExecOptions & { input?: string; timeoutMs?: number } = {}): Promise<Result> {
    const args = ['exec', ...execFlags(options)];
    if (options.input !== undefined) args.push('--interactive');
    return docker([...args, this.name, ...command], { input: options.input, check: false, timeoutMs: options.timeoutMs });
  }

  /** A long-running `docker exec` (a server started by hand): its output so far, while it runs. */
  execInBackground(command: string[], options: ExecOptions = {}): { output: () => string } {
    const child = spawn(dockerCommand(), ['exec', ...execFlags(options), this.name, ...command], { env: dockerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    // Removing the container ends it; the docker client must not keep the tests waiting.
    child.unref();
    return { output: () => output };
  }

  logs(): Promise<string> {
    return containerLogs(this.name);
  }

  async inspect(): Promise<ContainerInfo> {
    const [info] = JSON.parse((await docker(['container', 'inspect', this.name])).stdout) as ContainerInfo[];
    if (info === undefined) throw new Error(`no container ${this.name}`);
    return info;
  }

  /** Waits for the health check to report `status`; fails with the health log and the container's output. */
  async waitForHealth(status: 'healthy' | 'unhealthy', timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.inspect();
      if (info.State.Health?.Status === status) return;
      if (!info.State.Running) throw new Error(`${this.name} stopped (exit ${info.State.ExitCode}) before it was ${status}:\n${await this.logs()}`);
      if (Date.now() > deadline) {
        const checks = (info.State.Health?.Log ?? []).map((check) => `exit ${check.ExitCode}: ${check.Output}`).join('\n');
        throw new Error(`${this.name} was not ${status} within ${timeoutMs} ms (now ${info.State.Health?.Status}):\n${checks}\n${(await this.logs()).slice(-3000)}`);
      }
      await sleep(500);
    }
  }

  /** Waits until the container's output matches `pattern` `count` times. */
  async waitForLog(pattern: RegExp, { count = 1, timeoutMs = 120_000 } = {}): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const logs = await this.logs();
      const matches = logs.split('\n').filter((line) => pattern.test(line));
      if (matches.length >= count) return logs;
      if (!(await this.inspect()).State.Running) throw new Error(`${this.name} stopped before logging ${pattern}:\n${logs.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not log ${pattern} ×${count} within ${timeoutMs} ms:\n${logs.slice(-3000)}`);
      await sleep(250);
    }
  }

  /** Waits for the container to stop by itself (`docker wait`). */
  async waitForExit(timeoutMs = 60_000): Promise<void> {
    await docker(['wait', this.name], { timeoutMs });
  }

  /** `docker stop`: its STOPSIGNAL, then SIGKILL after `seconds`. */
  async stop(seconds = 10): Promise<{ exitCode: number }> {
    await docker(['stop', '--time', String(seconds), this.name], { timeoutMs: (seconds + 30) * 1000 });
    return { exitCode: (await this.inspect()).State.ExitCode };
  }

  async start(): Promise<void> {
    await docker(['start', this.name]);
  }

  /** The files the container changed, added or deleted (`docker diff`), as `C /path`, `A /path`, `D /path`. */
  async diff(): Promise<string[]> {
    return (await docker(['diff', this.name])).stdout.split('\n').filter((line) => line !== '');
  }

  async remove(): Promise<void> {
    await docker(['rm', '--force', '--volumes', this.name], { check: false });
  }
}

export interface ExecOptions {
  user?: string;
  workdir?: string;
  env?: Record<string, string>;
}

function execFlags(options: ExecOptions): string[] {
  const flags: string[] = [];
  if (options.user !== undefined) flags.push('--user', options.user);
  if (options.workdir !== undefined) flags.push('--workdir', options.workdir);
  for (const [key, value] of Object.entries(options.env ?? {})) flags.push('--env', `${key}=${value}`);
  return flags;
}

export interface ContainerInfo {
  Config: { User: string; Env: string[] };
  State: {
    Running: boolean;
    ExitCode: number;
    Health?: { Status: string; Log: { ExitCode: number; Output: string }[] };
  };
}

/**
 * What one test file makes on the engine: its containers and networks share a label, and `cleanUp`
 * removes all of them, with the containers' anonymous volumes, even after a failure half-way.
 */
export class DockerScope {
  readonly id: string;

  constructor(purpose: string) {
    this.id = `${purpose}-${randomBytes(4).toString('hex')}`;
  }

  uniqueName(prefix: string): string {
    return `${prefix}-${this.id}-${randomBytes(2).toString('hex')}`;
  }

  run(options: RunOptions): Promise<Container> {
    return Container.run(this, options);
  }

  async network(): Promise<string> {
    const name = this.uniqueName('network');
    await docker(['network', 'create', '--label', `${TEST_LABEL}=${this.id}`, name]);
    return name;
  }

  async cleanUp(): Promise<void> {
    const filter = `label=${TEST_LABEL}=${this.id}`;
    const ids = async (kind: 'container' | 'network') =>
      (await docker([kind, 'ls', ...(kind === 'container' ? ['--all'] : []), '--quiet', '--filter', filter], { check: false })).stdout.split('\n').filter(Boolean);
    const containers = await ids('container');
    if (containers.length > 0) await docker(['rm', '--force', '--volumes', ...containers], { check: false });
    const networks = await ids('network');
    if (networks.length > 0) await docker(['network', 'rm', ...networks], { check: false });
  }
}
