import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A long-running command (a server) whose output is kept for assertions and error messages. */
export class ServerProcess {
  readonly output: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(command: string[], options: { cwd: string; env: Record<string, string> }) {
    const [executable, ...args] = command;
    if (executable === undefined) throw new Error('empty command');
    // Its own process group, so that clean-up also reaches the children of watchers (tsx watch).
    this.child = spawn(executable, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.output.push(...chunk.split('\n').filter((line) => line !== '')));
    }
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until `count` output lines match, failing with the output when the process ends or time runs out. */
  async waitForOutput(pattern: RegExp, { count = 1, timeoutMs = 60_000 } = {}): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matches = this.output.filter((line) => pattern.test(line));
      if (matches.length >= count) return matches;
      if (!this.running) throw new Error(`exited before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(100);
    }
  }

  /** Polls `url` until it answers 200. */
  async waitForOk(url: string, timeoutMs = 60_000): Promise<Response> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await fetch(url);
        if (response.ok) return response;
      } catch {
        // not listening yet
      }
      if (!this.running) throw new Error(`exited before ${url} answered:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(200);
    }
  }

  /** Sends `signal` and waits for the exit; undefined when it is still running after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    if (this.running) this.child.kill(signal);
    return Promise.race([this.exited, sleep(timeoutMs).then(() => undefined)]);
  }

  /** For clean-up: whatever state it is in, it is gone afterwards. */
  async kill(): Promise<void> {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
    await this.exited.catch(() => undefined);
  }

  tail(lines = 40): string {
    return this.output.slice(-lines).join('\n');
  }
}
