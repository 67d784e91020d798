import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiClient, contractMainFlow, expectContractSuitePasses, photoFlow, waitForOk } from '../support/api-client.js';
import { loadCompose, service } from '../support/compose.js';
import { DockerScope, ensureBaseImages, type Container } from '../support/docker.js';
import { describeOnEngine } from '../support/engine-suite.js';
import { buildProjectImage, projectImages, testTag } from '../support/images.js';
import { readRepoFile, repoPath } from '../support/repository.js';

const database = service(loadCompose('docker-compose.yml'), 'postgres-db');
const image = testTag(projectImages.apiProduction);

/** The packages the lock file installs in the root node_modules only for development (`"dev": true`). */
function devOnlyPackages(): string[] {
  const { packages } = JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(packages).flatMap(([location, entry]) => {
    const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(location)?.[1];
    return entry.dev === true && name !== undefined ? [name] : [];
  });
}

describeOnEngine('the API production image, run by Docker next to PostgreSQL (as on the workshop network)', () => {
  const scope = new DockerScope('api-production');
  let postgres: Container;
  let api: Container;
  let baseUrl: string;

  beforeAll(async () => {
    await ensureBaseImages();
    await buildProjectImage(projectImages.apiProduction);
    const network = await scope.network();
    // Under the workshop's name on its own network, so that api/.env.local.example applies as it is.
    postgres = await scope.run({ image: database.image ?? '', network, networkAlias: 'postgres-db', env: database.environment });
    // LOG_LEVEL debug: requests are logged as they arrive too, which the shutdown test waits for.
    api = await scope.run({ image, network, envFile: repoPath('api', '.env.local.example'), env: { LOG_LEVEL: 'debug' }, publish: [8000] });
    baseUrl = `http://127.0.0.1:${await api.port(8000)}`;
    await waitForOk(`${baseUrl}/health`, () => api.logs());
  });

  afterAll(() => scope.cleanUp());

  test('runs as node (uid 1000); its code and packages belong to root and only /app/data is writable', async () => {
    expect((await api.exec(['id', '-u'])).stdout.trim()).toBe('1000');
    // What the API writes at run time (the photo store's folder among it) lies inside /app/data.
    const outsideData = ['/app', '-path', '/app/data/*', '-prune', '-o'];
    expect((await api.exec(['find', ...outsideData, '-writable', '-print'])).stdout.trim().split('\n')).toEqual(['/app/data']);
    expect((await api.exec(['find', ...outsideData, '!', '-user', 'root', '-print'])).stdout.trim().split('\n')).toEqual(['/app/data']);
    const attempts = await api.exec(['sh', '-c', 'for file in /app/api/dist/server.js /app/node_modules/fastify/package.json /app/data/probe; do touch "$file" 2>/dev/null && echo "wrote $file"; done']);
    expect(attempts.stdout.trim()).toBe('wrote /app/data/probe');
  });

  test('carries what api/certs/ holds in /etc/rock-of-ages/, owned by root (in a local build, only its README)', async () => {
    expect((await api.exec(['find', '/etc/rock-of-ages', '-writable'])).stdout).toBe('');
    expect((await api.exec(['ls', '/etc/rock-of-ages'])).stdout.trim()).toBe('README.md');
  });

  test('carries no compiler, no npm cache and no development packages, but the compiled API and its production packages', async () => {
    const tools = await api.exec(['sh', '-c', 'for tool in cc gcc g++ c++ make python3; do command -v "$tool"; done; true']);
    expect(tools.stdout).toBe('');
    const caches = await api.exec(['find', '/', '-xdev', '(', '-name', '_cacache', '-o', '-path', '/home/node/.npm', '-o', '-path', '/root/.npm', ')'], { user: 'root' });
    expect(caches.stdout).toBe('');

    const installed = (await api.exec(['sh', '-c', 'cd /app/node_modules && ls -d * @*/* | grep -v "^@[^/]*$"'])).stdout.trim().split('\n');
    expect(installed).toEqual(expect.arrayContaining(['fastify', 'kysely', 'pg', 'better-sqlite3', 'zod']));
    const devOnly = devOnlyPackages();
    expect(devOnly).toEqual(expect.arrayContaining(['typescript', 'tsx', 'vitest', 'eslint', '@types/node']));
    expect(installed.filter((name) => devOnly.includes(name))).toEqual([]);
    const files = await api.exec(['sh', '-c', 'ls /app/api; ls /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
    expect(files.stdout.trim().split('\n')).toEqual(['dist', 'node_modules', 'package.json', '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
    const sizes = await api.exec(['du', '-sh', '/app/node_modules', '/app/api/dist']);
    console.log(`${image}, installed in /app:\n${sizes.stdout}`);
  });

  test('logs the database it uses, never the password, and serves the contract', async () => {
    const logs = await api.logs();
    expect(logs).toContain('Using PostgreSQL at postgres-db:5432/rockofages as user rockadmin (sslmode=disable)');
    expect(logs).not.toContain(database.environment?.POSTGRES_PASSWORD);
    await contractMainFlow(baseUrl, 'ada@example.com');
  });

  test('passes the black-box contract suite, every answer checked against its /openapi.json', async () => {
    await expectContractSuitePasses(baseUrl);
  });

  test('takes a photo with no photo settings: sharp makes its thumbnails inside the image, the files land under /app/data/photos and go with the rock', async () => {
    const thumbnail = await photoFlow(baseUrl, 'photo@example.com');
    // WebP: "RIFF", a size, then "WEBP".
    expect([thumbnail.subarray(0, 4).toString(), thumbnail.subarray(8, 12).toString()]).toEqual(['RIFF', 'WEBP']);
    expect((await api.exec(['test', '-d', '/app/data/photos'])).code).toBe(0);
  });

  test('`docker exec … node dist/cli.js migrate` and `seed` find nothing left to do on a database set up at start', async () => {
    const cli = async (command: string) => (await api.exec(['node', 'dist/cli.js', command])).stdout;
    expect(await cli('migrate')).toContain('Migrations: already up to date');
    expect(await cli('seed')).toContain('added 0 users, 0 tokens, 0 types, 0 rocks');
  });

  test('its HEALTHCHECK reports healthy, unhealthy while the database is stopped, and healthy again once it is back', async () => {
    await api.waitForHealth('healthy');
    await postgres.stop();
    await api.waitForHealth('unhealthy', 180_000);
    await postgres.start();
    await api.waitForHealth('healthy', 180_000);
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
  });

  test('`docker stop` finishes the requests in flight, then exits with code 0', async () => {
    const request = apiClient(baseUrl);
    const arrival = /"url":"\/register".*incoming request|incoming request.*"url":"\/register"/;
    const before = (await api.logs()).split('\n').filter((line) => arrival.test(line)).length;
    // Registrations hash a password with 1,000,000 PBKDF2 iterations: each takes a while.
    const answered: number[] = [];
    const registrations = Array.from({ length: 8 }, (_, index) =>
      request<{ token: string }>('POST', '/register', {
        body: { email: `in-flight-${index}@example.com`, password: 'rocks-rule-42', first_name: 'In', last_name: 'Flight' },
      }).then((answer) => {
        answered.push(performance.now());
        return answer;
      }),
    );
    // Stopped as soon as the first has arrived: 8 hashes take longer than that on any machine, and those
    // still on their way when the signal comes are accepted too (the drain keeps the listener open).
    await api.waitForLog(arrival, { count: before + 1, timeoutMs: 30_000 });

    const stopping = performance.now();
    const stopped = api.stop(10);
    const answers = await Promise.all(registrations);
    const { exitCode } = await stopped;
    console.log(`docker stop: ${((performance.now() - stopping) / 1000).toFixed(1)} s, ${answered.filter((at) => at > stopping).length} of 8 registrations answered after it began`);

    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(answered.some((at) => at > stopping)).toBe(true);
    // 137 would mean Docker had to kill it after the 10 seconds.
    expect(exitCode).toBe(0);
    expect(await api.logs()).toMatch(/SIGTERM received: .*then finishing requests in flight and stopping/);
  });
});

describeOnEngine('the API production image without a database configured', () => {
  const scope = new DockerScope('api-production-sqlite');
  afterAll(() => scope.cleanUp());

  test('refuses to start rather than keep its data in a file of one container', async () => {
    await ensureBaseImages();
    await buildProjectImage(projectImages.apiProduction);
    const api = await scope.run({ image });
    await api.waitForExit();
    expect((await api.inspect()).State.ExitCode).toBe(1);
    expect(await api.logs()).toContain('REQUIRE_DATABASE');
    expect((await api.diff()).filter((line) => line.includes('/app/data/'))).toEqual([]);
  });

  test('with REQUIRE_DATABASE=false keeps its SQLite data in /app/data and changes no other file of the container', async () => {
    const api = await scope.run({ image, publish: [8000], env: { REQUIRE_DATABASE: 'false' } });
    const baseUrl = `http://127.0.0.1:${await api.port(8000)}`;
    await waitForOk(`${baseUrl}/health`, () => api.logs());
    expect(await api.logs()).toContain('Using SQLite file /app/data/db.sqlite3');
    await contractMainFlow(baseUrl, 'ada@example.com');
    expect(await api.stop()).toEqual({ exitCode: 0 });

    const changed = (await api.diff()).map((line) => line.slice(2));
    expect(changed).toContain('/app/data/db.sqlite3');
    expect(changed.filter((file) => file !== '/app' && file !== '/app/data' && !file.startsWith('/app/data/'))).toEqual([]);
  });
});
