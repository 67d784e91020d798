import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

/** The limits exactly as a server started with no settings has them. */
const defaults = loadConfig({});
const DEFAULT_LIMITS = {
  authRateLimit: defaults.authRateLimit,
  registerRateLimit: defaults.registerRateLimit,
  loginFailureLimit: defaults.loginFailureLimit,
  loginFailureWindowMinutes: defaults.loginFailureWindowMinutes,
};
const LIMIT = defaults.loginFailureLimit;
const WINDOW_MS = defaults.loginFailureWindowMinutes * 60_000;
/** Behind a trusted proxy (the test itself), X-Forwarded-For names the client. */
const BEHIND_PROXY = { ...DEFAULT_LIMITS, trustProxy: ['127.0.0.1'] };

const JOHN = 'john@example.com';
const WRONG = 'not-the-password-7f3a';

/** A clock the test moves by hand: windows end without waiting for them. */
function testClock() {
  let time = Date.parse('2026-12-01T09:00:00Z');
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

/** What a client can tell about an answer. */
const answer = (response: Awaited<ReturnType<typeof request>>) => ({
  status: response.status,
  body: response.body,
  retryAfter: response.headers.get('retry-after'),
});

describe.each(DIALECTS)('%s: per-account login throttle', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const login = (email: string, password: string, address = '203.0.113.1') =>
    request(server!, 'POST', '/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });
  const failTimes = async (times: number, email = JOHN) => {
    const answers = [];
    for (let attempt = 0; attempt < times; attempt++) answers.push(answer(await login(email, `${WRONG}-${attempt}`, `203.0.113.${attempt + 1}`)));
    return answers;
  };
  const rows = () => server!.database.handle.db.selectFrom('login_failure').select(['account', 'failures']).orderBy('account').execute();

  it(`${dialect}: 11 wrong passwords for one account from 11 addresses lock that account (whatever the address) and not the others`, async () => {
    const clock = testClock();
    server = await startTestServer(dialect, BEHIND_PROXY, { now: clock.now });
    const answers = [];
    for (let attempt = 1; attempt <= LIMIT + 1; attempt++) answers.push(answer(await login(JOHN, `${WRONG}-${attempt}`, `203.0.113.${attempt}`)));

    expect(answers.slice(0, LIMIT)).toEqual(Array(LIMIT).fill({ status: 200, body: { valid: false }, retryAfter: null }));
    expect(answers[LIMIT]).toEqual({ status: 429, body: { message: 'Too many failed logins for this account; try again in 15 minutes.' }, retryAfter: '900' });
    expect((await login(JOHN, 'password', '198.51.100.7')).status).toBe(429);
    expect((await login('  John@Example.COM ', 'password', '198.51.100.8')).status).toBe(429);
    expect((await login('jane@example.com', 'password', '203.0.113.1')).body).toEqual({ valid: true, token: 'ghijkl789012' });
  });

  it(`${dialect}: during a lock the answer is the same for the right password, a wrong one, and an account that does not exist`, async () => {
    const clock = testClock();
    server = await startTestServer(dialect, BEHIND_PROXY, { now: clock.now });
    await failTimes(LIMIT, JOHN);
    await failTimes(LIMIT, 'nobody@example.com');

    const right = answer(await login(JOHN, 'password', '198.51.100.1'));
    const wrong = answer(await login(JOHN, WRONG, '198.51.100.2'));
    const unknown = answer(await login('nobody@example.com', 'password', '198.51.100.3'));
    expect(right).toEqual({ status: 429, body: { message: 'Too many failed logins for this account; try again in 15 minutes.' }, retryAfter: '900' });
    expect(wrong).toEqual(right);
    expect(unknown).toEqual(right);
  });

  it(`${dialect}: a successful login neither counts as a failure nor clears the failures before it`, async () => {
    server = await startTestServer(dialect, BEHIND_PROXY);
    await failTimes(LIMIT - 1);
    for (let success = 0; success < 3; success++) expect((await login(JOHN, 'password')).body).toEqual({ valid: true, token: 'abcdef123456' });
    expect((await login(JOHN, WRONG)).body).toEqual({ valid: false });
    expect((await login(JOHN, 'password')).status).toBe(429);
  });

  it(`${dialect}: simultaneous guesses cannot slip past the limit: of 25 sent at once, 10 are checked and 15 refused`, async () => {
    server = await startTestServer(dialect, BEHIND_PROXY);
    const answers = await Promise.all(Array.from({ length: 25 }, (_, index) => login(JOHN, `${WRONG}-${index}`, `203.0.113.${index + 1}`)));
    const statuses = answers.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(25 - LIMIT).fill(429)]);
  });

  it(`${dialect}: the lock ends with the window opened by the first failure (on a clock the test moves)`, async () => {
    const clock = testClock();
    server = await startTestServer(dialect, BEHIND_PROXY, { now: clock.now });
    await failTimes(1);
    clock.advance(5 * 60_000);
    await failTimes(LIMIT - 1);

    clock.advance(WINDOW_MS - 5 * 60_000 - 1_000);
    const lastSecond = await login(JOHN, 'password');
    clock.advance(1_000);
    const afterwards = await login(JOHN, 'password');
    const nextFailure = await login(JOHN, WRONG);

    expect(answer(lastSecond)).toEqual({ status: 429, body: { message: 'Too many failed logins for this account; try again in 1 minute.' }, retryAfter: '1' });
    expect(afterwards.body).toEqual({ valid: true, token: 'abcdef123456' });
    expect(nextFailure.body).toEqual({ valid: false });
  });

  it(`${dialect}: the lock is logged once, with the account, the address and the count, and no password is ever logged`, async () => {
    const lines: string[] = [];
    server = await startTestServer(dialect, BEHIND_PROXY, { logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    for (let attempt = 1; attempt <= LIMIT + 3; attempt++) await login(' JOHN@example.com', WRONG, `203.0.113.${attempt}`);
    await login(JOHN, 'password', '203.0.113.99');

    const locks = lines.map((line) => JSON.parse(line)).filter((entry) => /locked/i.test(entry.msg));
    expect(locks).toEqual([
      expect.objectContaining({ level: 40, msg: 'Login locked for this account: too many failed logins', account: JOHN, address: `203.0.113.${LIMIT}`, failures: LIMIT }),
    ]);
    // Every request was logged (one access line each), so the check below covers them all.
    expect(lines.filter((line) => line.includes('"url":"/login"') && line.includes('request completed'))).toHaveLength(LIMIT + 4);
    expect(lines.filter((line) => line.includes(WRONG) || line.includes('"password"'))).toEqual([]);
  });

  it(`${dialect}: rows of windows that have ended are deleted, so names tried once do not pile up`, async () => {
    const clock = testClock();
    server = await startTestServer(dialect, BEHIND_PROXY, { now: clock.now });
    for (const name of ['first@example.com', 'second@example.com', 'third@example.com']) await login(name, WRONG);
    clock.advance(WINDOW_MS - 60_000);
    await login('fourth@example.com', WRONG);
    const withinTheWindow = await rows();
    clock.advance(2 * 60_000);
    await login('fifth@example.com', WRONG);

    expect(withinTheWindow.map((row) => row.account)).toEqual(['first@example.com', 'fourth@example.com', 'second@example.com', 'third@example.com']);
    expect(await rows()).toEqual([
      { account: 'fifth@example.com', failures: 1 },
      { account: 'fourth@example.com', failures: 1 },
    ]);
  });

  it(`${dialect}: LOGIN_FAILURE_LIMIT=0 turns the throttle off`, async () => {
    server = await startTestServer(dialect, { ...BEHIND_PROXY, loginFailureLimit: 0 });
    const answers = await failTimes(LIMIT + 2);
    expect(answers.map((entry) => entry.status)).toEqual(Array(LIMIT + 2).fill(200));
    expect((await login(JOHN, 'password')).body).toEqual({ valid: true, token: 'abcdef123456' });
    expect(await rows()).toEqual([]);
  });
});
