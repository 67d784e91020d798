import { spawn, type ChildProcess } from 'node:child_process';
import { channel } from 'node:diagnostics_channel';

/** Each PBKDF2 run's work factor (`{ iterations }`), for whoever observes what requests cost. */
export const pbkdf2Runs = channel('rock-of-ages:pbkdf2');

/**
 * PBKDF2 in helper processes of the lowest scheduling priority, each running one hash at a time, so
 * that a burst of logins slows the logins, not every other request.
 *
 * Processes, not threads: Linux's autogroup (on by default outside a container) makes each session
 * one scheduling group, weighed as a whole against every other, whatever its threads' nice values.
 * A hashing thread at nice 19 kept the API's group busy, and that group then took its full share of a
 * core from PostgreSQL's backends, which answer the API's own queries (decision 006). A helper starts
 * a session of its own and sets that session's nice value to 19 (/proc/self/autogroup), so it only
 * gets the time the rest of the host leaves. In a container, where autogroup does not apply, the
 * helper's own nice value ranks it against the container's other processes. Elsewhere (not Linux)
 * the helper only lowers its own priority.
 *
 * A helper leaves when the API does (its IPC channel closes) and after a minute without work. Its
 * code is given as source (`node -e`), so it runs the same from the compiled server and from the
 * TypeScript sources the tests run.
 */
const HELPER_SOURCE = `
const { pbkdf2Sync } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { setPriority } = require('node:os');
try { writeFileSync('/proc/self/autogroup', '19'); } catch {}
try { setPriority(19); } catch {}
process.on('message', ({ password, salt, iterations, keyLength }) => {
  process.send(pbkdf2Sync(password, salt, iterations, keyLength, 'sha256').toString('base64'));
});
process.on('disconnect', () => process.exit(0));
`;

const IDLE_EXIT_MS = 60_000;

interface Job {
  password: string;
  salt: string;
  iterations: number;
  keyLength: number;
  resolve: (key: Buffer) => void;
  reject: (error: Error) => void;
}

interface Helper {
  process: ChildProcess;
  idleTimer?: NodeJS.Timeout;
}

const idle: Helper[] = [];

/** An idle helper keeps neither the API's process alive nor (through its channel) its event loop. */
function setKeepsApiAlive(helper: Helper, keeps: boolean): void {
  const handles = [helper.process, helper.process.channel];
  for (const handle of handles) {
    if (keeps) handle?.ref();
    else handle?.unref();
  }
}

/** Out of use: off the idle list, and told to leave (it exits when its channel closes). */
function retire(helper: Helper): void {
  clearTimeout(helper.idleTimer);
  const at = idle.indexOf(helper);
  if (at !== -1) idle.splice(at, 1);
  if (helper.process.connected) helper.process.disconnect();
}

function startHelper(): Helper {
  const child = spawn(process.execPath, ['-e', HELPER_SOURCE], {
    // A session of its own (setsid) is what gives it an autogroup of its own.
    detached: process.platform === 'linux',
    // None of the API's settings or NODE_OPTIONS: it needs none, and starts faster without.
    env: {},
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const helper: Helper = { process: child };
  // A helper that fails or leaves (killed, out of memory) is not used again; a job it was running
  // learns of it from its own listeners (`run`).
  child.on('error', () => retire(helper));
  child.once('exit', () => retire(helper));
  return helper;
}

function park(helper: Helper): void {
  setKeepsApiAlive(helper, false);
  helper.idleTimer = setTimeout(() => retire(helper), IDLE_EXIT_MS).unref();
  idle.push(helper);
}

function run(helper: Helper, job: Job): void {
  const child = helper.process;
  clearTimeout(helper.idleTimer);
  const done = () => {
    child.off('message', onKey);
    child.off('exit', onExit);
    child.off('error', onError);
  };
  const onKey = (key: string) => {
    done();
    park(helper);
    job.resolve(Buffer.from(key, 'base64'));
  };
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    done();
    job.reject(new Error(`The password hashing process stopped (${signal ?? `exit code ${code}`}) before it answered`));
  };
  const onError = (error: Error) => {
    done();
    job.reject(error);
  };
  child.on('message', onKey);
  child.once('exit', onExit);
  child.once('error', onError);
  setKeepsApiAlive(helper, true);
  child.send({ password: job.password, salt: job.salt, iterations: job.iterations, keyLength: job.keyLength });
}

/** PBKDF2-HMAC-SHA256 of `password` and `salt`; as many run at once as are asked for (the caller bounds them). */
export function pbkdf2Sha256(password: string, salt: string, iterations: number, keyLength: number): Promise<Buffer> {
  if (pbkdf2Runs.hasSubscribers) pbkdf2Runs.publish({ iterations });
  return new Promise((resolve, reject) => run(idle.pop() ?? startHelper(), { password, salt, iterations, keyLength, resolve, reject }));
}
