import { channel } from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';

/** Each PBKDF2 run's work factor (`{ iterations }`), for whoever observes what requests cost. */
export const pbkdf2Runs = channel('rock-of-ages:pbkdf2');

/**
 * PBKDF2 on threads of the lowest scheduling priority. libuv's pool (which `crypto.pbkdf2` uses)
 * competes with the event loop and the database for the cores as an equal; these threads only get
 * the time that serving leaves, so a burst of logins slows the logins, not every other request.
 * On Linux a thread's own id names it to setpriority(), so each thread lowers only itself;
 * elsewhere it keeps the normal priority.
 *
 * A nice value ranks a thread against those it shares a scheduling group with: in a container (its
 * cgroup), every process in it. Outside one, Linux's autogroup (on by default) makes each session a
 * group, weighed as one: there a PostgreSQL backend on the same host competes with the API's
 * process as a whole, not with this thread alone.
 *
 * The thread's code is given as source (eval), so that it runs the same from the compiled
 * server and from the TypeScript sources the tests run.
 */
const THREAD_SOURCE = `
const { pbkdf2Sync } = require('node:crypto');
const { readlinkSync } = require('node:fs');
const { setPriority } = require('node:os');
const { parentPort } = require('node:worker_threads');
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
} catch {}
parentPort.on('message', ({ password, salt, iterations, keyLength }) => {
  parentPort.postMessage(pbkdf2Sync(password, salt, iterations, keyLength, 'sha256'));
});
`;

interface Job {
  password: string;
  salt: string;
  iterations: number;
  keyLength: number;
  resolve: (key: Buffer) => void;
  reject: (error: Error) => void;
}

const idle: Worker[] = [];

function startThread(): Worker {
  const worker = new Worker(THREAD_SOURCE, { eval: true });
  // An idle thread does not keep the process alive.
  worker.unref();
  return worker;
}

function run(worker: Worker, job: Job): void {
  const done = () => {
    worker.off('message', onKey);
    worker.off('error', onError);
  };
  const onKey = (key: Uint8Array) => {
    done();
    worker.unref();
    idle.push(worker);
    job.resolve(Buffer.from(key.buffer, key.byteOffset, key.byteLength));
  };
  const onError = (error: Error) => {
    done();
    job.reject(error);
  };
  worker.on('message', onKey);
  worker.on('error', onError);
  worker.ref();
  worker.postMessage({ password: job.password, salt: job.salt, iterations: job.iterations, keyLength: job.keyLength });
}

/** PBKDF2-HMAC-SHA256 of `password` and `salt`; as many run at once as are asked for (the caller bounds them). */
export function pbkdf2Sha256(password: string, salt: string, iterations: number, keyLength: number): Promise<Buffer> {
  if (pbkdf2Runs.hasSubscribers) pbkdf2Runs.publish({ iterations });
  return new Promise((resolve, reject) => run(idle.pop() ?? startThread(), { password, salt, iterations, keyLength, resolve, reject }));
}
