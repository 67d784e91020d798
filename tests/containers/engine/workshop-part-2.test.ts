import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser } from '../../../client/e2e/support/browser.js';
import { apiClient, contractMainFlow, waitForOk } from '../support/api-client.js';
import { loadCompose, service } from '../support/compose.js';
import { containerLogs, docker, dockerBinFolder, dockerEnv, ensureBaseImages } from '../support/docker.js';
import { describeOnEngine } from '../support/engine-suite.js';
import { openUntilShown } from '../support/open-until-shown.js';
import { freePort } from '@rock-of-ages/test-kit';
import { listen } from '../support/listen.js';
import { repoPath, repoRoot } from '../support/repository.js';
import { holdWorkshopLock } from '../support/workshop-lock.js';

const CONTAINERS = ['postgres-db', 'api-container', 'client-container'];
const NETWORK = 'rock-of-ages-network';
const API = 'http://localhost:8000';
const CLIENT = 'http://localhost:3000';
const { POSTGRES_PASSWORD = '' } = service(loadCompose('docker-compose.yml'), 'postgres-db').environment ?? {};

interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

describeOnEngine('workshop part 2 as the learner runs it: scripts/docker-network.sh up, the checks, a restart, down', () => {
  let release: () => void;
  let browser: Browser | undefined;
  let bin: string;
  let postgresPort: string;
  let volumesMade: string[] = [];
  // The learner registered in the browser: their token, and the rock they collected.
  const learner = { email: `learner.${randomBytes(3).toString('hex')}@example.com`, password: 'granite-and-basalt', token: '', rock: `Pebble ${randomBytes(3).toString('hex')}` };

  /** The script as a learner runs it from the repository, with the engine's docker first on PATH. */
  function networkScript(args: string[]): Promise<ScriptRun> {
    return new Promise((resolve) => {
      execFile(
        'bash',
        [repoPath('scripts', 'docker-network.sh'), ...args],
        { cwd: repoRoot, env: dockerEnv({ PATH: `${bin}:${process.env.PATH ?? ''}`, POSTGRES_PORT: postgresPort }), timeout: 1_500_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? -1), stdout, stderr }),
      );
    });
  }

  async function leftovers(): Promise<string[]> {
    const containers = (await docker(['ps', '--all', '--format', '{{.Names}}'])).stdout.split('\n').filter((name) => CONTAINERS.includes(name));
    const networks = (await docker(['network', 'ls', '--format', '{{.Name}}'])).stdout.split('\n').filter((name) => name === NETWORK);
    return [...containers, ...networks];
  }

  const volumes = async () => (await docker(['volume', 'ls', '--quiet'])).stdout.split('\n').filter(Boolean);

  beforeAll(async () => {
    release = await holdWorkshopLock();
    await ensureBaseImages();
    bin = dockerBinFolder();
    // The machine's own PostgreSQL holds 5432, as a learner's Homebrew or apt one would.
    postgresPort = String(await freePort());
    const found = await leftovers();
    if (found.length > 0) throw new Error(`The workshop's containers or network already exist (${found.join(', ')}): run scripts/docker-network.sh down first`);
  });

  afterAll(async () => {
    await browser?.close();
    if (bin !== undefined) {
      await networkScript(['down']);
      rmSync(bin, { recursive: true, force: true });
    }
    release?.();
  });

  test('up refuses to start while port 8000 is taken, says so, and leaves nothing behind', async () => {
    const holder = await listen(8000);
    try {
      const { code, stderr } = await networkScript(['up']);
      expect(code).toBe(1);
      expect(stderr).toContain('Port 8000 is taken on this machine');
      expect(await leftovers()).toEqual([]);
    } finally {
      holder.close();
    }
  });

  test('up builds the images and starts postgres-db, api-container and client-container on rock-of-ages-network', async () => {
    const { code, stdout, stderr } = await networkScript(['up']);
    expect({ code, stderr: code === 0 ? '' : `${stdout}\n${stderr}` }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`psql -h localhost -p ${postgresPort} -U rockadmin -d rockofages`);
    const onNetwork = (await docker(['ps', '--filter', `network=${NETWORK}`, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean).sort();
    expect(onNetwork).toEqual([...CONTAINERS].sort());
    // The database's data: the anonymous volume its image declares (down must remove it).
    const mounts = JSON.parse((await docker(['inspect', '--format', '{{json .Mounts}}', ...CONTAINERS])).stdout.split('\n')[0] ?? '[]') as { Type: string; Name: string; Destination: string }[];
    expect(mounts.map((mount) => [mount.Type, mount.Destination])).toEqual([['volume', '/var/lib/postgresql/data']]);
    volumesMade = (await docker(['inspect', '--format', '{{range .Mounts}}{{.Name}} {{end}}', ...CONTAINERS])).stdout.split(/\s+/).filter(Boolean);
    expect(volumesMade).toHaveLength(1);
  });

  test('the API logs that it uses postgres-db:5432/rockofages as rockadmin, never the password, and /health is ok', async () => {
    await waitForOk(`${API}/health`, () => containerLogs('api-container'));
    // The workshop seeds the course's sample users, and the published port listens on every interface of
    // the host: the API says so, as it would for any database others can reach.
    expect(await (await fetch(`${API}/health`)).json()).toEqual({ status: 'ok', instance: 'unknown', database: 'ok', sample_credentials: true });
    const logs = await containerLogs('api-container');
    expect(logs).toContain('Using PostgreSQL at postgres-db:5432/rockofages as user rockadmin (sslmode=disable)');
    expect(logs).not.toContain(POSTGRES_PASSWORD);
  });

  test("the contract's main flow works over http://localhost:8000", async () => {
    await contractMainFlow(API, `contract.${randomBytes(3).toString('hex')}@example.com`);
  });

  test('docker exec -it postgres-db psql -U rockadmin -d rockofages: \\dt lists the tables, and rockapi_rock holds the 3 sample rocks', async () => {
    const { code, stdout } = await docker(['exec', '--interactive', 'postgres-db', 'psql', '-U', 'rockadmin', '-d', 'rockofages'], {
      input: '\\dt\nSELECT name, weight FROM rockapi_rock ORDER BY id;\n',
    });
    expect(code).toBe(0);
    for (const table of ['auth_user', 'authtoken_token', 'rockapi_rock', 'rockapi_type']) expect(stdout).toMatch(new RegExp(`\\| ${table} +\\| table \\| rockadmin`));
    expect(stdout).toMatch(/Ernestina \| +1\.30\n.*Orpha +\| +0\.50\n.*Sasha +\| +0\.29\n\(3 rows\)/);
  });

  test('the API container reaches the database container by its name on the network', async () => {
    const address = (await docker(['inspect', '--format', `{{(index .NetworkSettings.Networks "${NETWORK}").IPAddress}}`, 'postgres-db'])).stdout.trim();
    const resolved = await docker(['exec', 'api-container', 'getent', 'hosts', 'postgres-db']);
    expect(resolved.stdout.split(/\s+/)[0]).toBe(address);
    const connected = await docker(['exec', 'api-container', 'node', '-e', "require('node:net').connect(5432, 'postgres-db').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"], { check: false });
    expect(connected.code).toBe(0);
  });

  test('in Chromium, the client on http://localhost:3000 registers, collects a rock and lists it, every API request going to http://localhost:8000', async () => {
    const clientLogs = () => containerLogs('client-container');
    await waitForOk(CLIENT, clientLogs);
    browser = await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(30_000);
    const requests: Request[] = [];
    page.on('request', (request) => requests.push(request));

    const pageErrors = await openUntilShown(page, `${CLIENT}/register`, page.getByLabel('First name'), clientLogs);
    await page.getByLabel('First name').fill('Lea');
    await page.getByLabel('Last name').fill('Rner');
    await page.getByLabel('Email').fill(learner.email);
    await page.getByLabel('Password').fill(learner.password);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Welcome to Rock of Ages' }).waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Collect a Rock' }).click();
    await page.getByRole('option', { name: 'Basalt' }).waitFor({ state: 'attached' });
    await page.getByLabel('Name').fill(learner.rock);
    await page.getByLabel('Weight in kg').fill('2.5');
    await page.getByLabel('Type').selectOption({ label: 'Basalt' });
    await page.getByRole('button', { name: 'Collect rock' }).click();
    await page.getByText(`${learner.rock} was added to your collection.`).waitFor();
    await expect(page.getByRole('article', { name: learner.rock, exact: true }).textContent()).resolves.toMatch(/Basalt.*2\.50 kg.*Lea Rner/s);

    await page.getByRole('navigation').getByRole('link', { name: 'All Rocks' }).click();
    await page.getByRole('article', { name: learner.rock, exact: true }).waitFor();
    await page.getByRole('article', { name: 'Ernestina', exact: true }).waitFor();
    learner.token = (JSON.parse((await page.evaluate<string | null>("localStorage.getItem('rock_token')")) ?? '{}') as { token: string }).token;

    const elsewhere = requests.map((request) => request.url()).filter((url) => !url.startsWith(`${CLIENT}/`));
    expect(elsewhere.filter((url) => !url.startsWith(`${API}/`))).toEqual([]);
    const calls = requests.filter((request) => request.url().startsWith(`${API}/`) && request.method() !== 'OPTIONS').map((request) => `${request.method()} ${request.url().slice(API.length)}`);
    // The lists are read a page of 24 at a time (the count comes with each page).
    expect(calls).toEqual(expect.arrayContaining(['POST /register', 'GET /types', 'POST /rocks', 'GET /rocks?owner=current&limit=24', 'GET /rocks?limit=24']));
    expect(pageErrors).toEqual([]);
  });

  test('the data survives docker restart api-container postgres-db', async () => {
    await docker(['restart', 'api-container', 'postgres-db']);
    await waitForOk(`${API}/health`, () => containerLogs('api-container'));
    const api = apiClient(API);
    expect(await api('POST', '/login', { body: { email: learner.email, password: learner.password } })).toEqual({ status: 200, body: { valid: true, token: learner.token } });
    const mine = await api<{ name: string; weight: string }[]>('GET', '/rocks?owner=current', { token: learner.token });
    expect(mine.body.map((rock) => [rock.name, rock.weight])).toEqual([[learner.rock, '2.50']]);
  });

  test('down removes the containers, the network and the volume the database kept its data in', async () => {
    const { code } = await networkScript(['down']);
    expect(code).toBe(0);
    expect(await leftovers()).toEqual([]);
    expect(volumesMade).toHaveLength(1);
    expect((await volumes()).filter((volume) => volumesMade.includes(volume))).toEqual([]);
  });
});
