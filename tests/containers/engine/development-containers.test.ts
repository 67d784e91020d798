import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser } from '../../../client/e2e/support/browser.js';
import { waitForOk } from '../support/api-client.js';
import { freshCloneEnvironment, loadCompose, service } from '../support/compose.js';
import { DockerScope, ensureBaseImages, type Container } from '../support/docker.js';
import { describeOnEngine } from '../support/engine-suite.js';
import { buildProjectImage, projectImages, testTag } from '../support/images.js';
import { openUntilShown } from '../support/open-until-shown.js';
import { copyCheckout, ownAsContainerUser } from '../support/repository.js';

const compose = loadCompose('docker-compose.yml');

/**
 * A service's volumes as docker-compose.yml mounts them, with the workspace (`./api`, `./client`)
 * taken from `checkout`, a copy of the repository, so that the test's edits never touch this one.
 */
function composeVolumes(name: 'api' | 'client', checkout: string): string[] {
  return (service(compose, name).volumes ?? []).map((volume) => (volume.startsWith('./') ? path.join(checkout, volume.slice(2)) : volume));
}

/** Replaces every `from` with `to` in a file of the copy, failing when `from` is no longer there. */
function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}, which this test edits`);
  writeFileSync(file, text.replaceAll(from, to));
}

describeOnEngine('the development images with the sources mounted as docker-compose.yml mounts them: edits on the host, served without a rebuild', () => {
  const scope = new DockerScope('development');
  const checkout = mkdtempSync(path.join(os.tmpdir(), 'compose-checkout-'));
  let network: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    copyCheckout(checkout, 'api', 'client', 'contract');
    ownAsContainerUser(checkout);
    await ensureBaseImages();
    await buildProjectImage(projectImages.apiDevelopment);
    await buildProjectImage(projectImages.clientDevelopment);
    network = await scope.network();
  });

  afterAll(async () => {
    await browser?.close();
    await scope.cleanUp();
    rmSync(checkout, { recursive: true, force: true });
  });

  function runService(name: 'api' | 'client', image: string, port: number): Promise<Container> {
    const composed = service(compose, name);
    return scope.run({ image, network, env: freshCloneEnvironment(composed), volumes: composeVolumes(name, checkout), publish: [port], command: composed.command });
  }

  test('api: `tsx watch` restarts on an edited source file and serves the change', async () => {
    const database = service(compose, 'postgres-db');
    await scope.run({ image: database.image ?? '', network, networkAlias: 'postgres-db', env: database.environment });
    const api = await runService('api', testTag(projectImages.apiDevelopment), 8000);
    const baseUrl = `http://127.0.0.1:${await api.port(8000)}`;
    await waitForOk(`${baseUrl}/health`, () => api.logs(), 180_000);
    expect(await (await fetch(`${baseUrl}/health`)).json()).toMatchObject({ instance: 'unknown' });
    await api.waitForLog(/Server listening/);

    // tsx adds each file to its watcher once the server has imported it, so an edit in the very
    // first moments can go unseen: like a developer, save again (a new value) until it restarts.
    const source = path.join(checkout, 'api/src/routes/health/index.ts');
    edit(source, 'instance: options.instanceId', "instance: 'edited-on-the-host-1'");
    let saves = 1;
    for (;;) {
      try {
        await api.waitForLog(/\[tsx\] change in \.\/src\/routes\/health\/index\.ts/, { timeoutMs: 10_000 });
        break;
      } catch (error) {
        if (saves === 6) throw error;
        edit(source, `'edited-on-the-host-${saves}'`, `'edited-on-the-host-${saves + 1}'`);
        saves += 1;
      }
    }
    await api.waitForLog(/Server listening/, { count: 4 });
    const expected = `edited-on-the-host-${saves}`;
    const deadline = Date.now() + 60_000;
    let instance: string | undefined;
    while (instance !== expected && Date.now() < deadline) {
      const health = await waitForOk(`${baseUrl}/health`, () => api.logs());
      instance = ((await health.json()) as { instance: string }).instance;
      if (instance !== expected) await sleep(500);
    }
    expect(instance).toBe(expected);
  });

  test('client: Vite hot-replaces an edited component in the open page, without reloading it', async () => {
    const client = await runService('client', testTag(projectImages.clientDevelopment), 3000);
    const clientUrl = `http://127.0.0.1:${await client.port(3000)}`;
    await waitForOk(clientUrl, () => client.logs(), 180_000);
    browser = await launchBrowser();
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    const pageErrors = await openUntilShown(page, `${clientUrl}/login`, page.getByRole('heading', { name: 'Sign in', exact: true }), () => client.logs());
    // A full reload would forget this.
    await page.evaluate('window.openedBeforeTheEdit = true');

    edit(path.join(checkout, 'client/src/features/auth/login-page.tsx'), '<h1>Sign in</h1>', '<h1>Sign in, edited on the host</h1>');
    await page.getByRole('heading', { name: 'Sign in, edited on the host' }).waitFor();
    expect(await page.evaluate('window.openedBeforeTheEdit')).toBe(true);
    expect(await client.logs()).toMatch(/hmr update .*login-page\.tsx/);
    expect(pageErrors).toEqual([]);
  });
});
