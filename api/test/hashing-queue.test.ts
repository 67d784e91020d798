import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashingQueue, HashingQueueFullError } from '../src/auth/hashing-queue.js';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

/** A task the test finishes when it chooses. */
function heldTask() {
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    run: async () => {
      started = true;
      await done;
    },
    finish: () => finish(),
    started: () => started,
  };
}

describe('the password hashing queue', () => {
  it('runs `concurrency` tasks at once, queues `maxWaiting` more in order, and refuses the next at once', async () => {
    const queue = createHashingQueue({ concurrency: 1, maxWaiting: 1 });
    const first = heldTask();
    const second = heldTask();
    const running = queue.run(first.run);
    const waiting = queue.run(second.run);
    await expect(queue.run(async () => 'never')).rejects.toBeInstanceOf(HashingQueueFullError);
    expect([first.started(), second.started()]).toEqual([true, false]);

    first.finish();
    await running;
    await Promise.resolve();
    expect(second.started()).toBe(true);
    second.finish();
    await waiting;
    expect(await queue.run(async () => 'free again')).toBe('free again');
  });

  it('a failing task gives its turn back', async () => {
    const queue = createHashingQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(queue.run(async () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});

describe.each(DIALECTS)('%s: logins beyond the hashing queue', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect, { passwordHashing: { concurrency: 1, maxWaiting: 0 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answer 503 with Retry-After and a message, while the login being checked succeeds', async () => {
    const login = () => request(server, 'POST', '/login', { body: { email: 'jane@example.com', password: 'password' } });
    const answers = await Promise.all([login(), login()]);
    const refused = answers.find((answer) => answer.status === 503);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 503]);
    expect(refused?.body).toEqual({ message: 'Too many sign-ins are being checked right now; please try again in a moment.' });
    expect(refused?.headers.get('retry-after')).toBe('1');
  });
});
