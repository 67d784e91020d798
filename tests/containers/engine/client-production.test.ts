import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitForOk } from '../support/api-client.js';
import { DockerScope, ensureBaseImages, type Container } from '../support/docker.js';
import { describeOnEngine } from '../support/engine-suite.js';
import { buildProjectImage, projectImages, testTag } from '../support/images.js';

/** The first JavaScript asset index.html loads. */
async function scriptOf(baseUrl: string): Promise<string> {
  const page = await (await fetch(`${baseUrl}/`)).text();
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
  if (script === undefined) throw new Error(`index.html loads no /assets/*.js:\n${page}`);
  return script;
}

describeOnEngine('the client production image: the built files behind nginx', () => {
  const scope = new DockerScope('client-production');
  let web: Container;
  let baseUrl: string;

  beforeAll(async () => {
    await ensureBaseImages();
    await buildProjectImage(projectImages.clientProduction);
    web = await scope.run({ image: testTag(projectImages.clientProduction), publish: [80] });
    baseUrl = `http://127.0.0.1:${await web.port(80)}`;
    await waitForOk(baseUrl, () => web.logs());
  });

  afterAll(() => scope.cleanUp());

  test("answers the browser's routes with index.html, so that a reload of /rocks works", async () => {
    const home = await (await fetch(`${baseUrl}/`)).text();
    expect(home).toContain('<div id="root"></div>');
    for (const route of ['/rocks', '/mine', '/login']) {
      const answer = await fetch(`${baseUrl}${route}`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe(home);
    }
  });

  test('serves the hashed assets as JavaScript cached for good, with no API address built in', async () => {
    const asset = await fetch(`${baseUrl}${await scriptOf(baseUrl)}`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).not.toContain('localhost:8000');
  });

  test('without API_URL serves no config.json (the page calls /api on its own origin), never index.html in its place', async () => {
    expect((await fetch(`${baseUrl}/config.json`)).status).toBe(404);
  });

  test('answers 404 for a missing asset, never index.html in its place', async () => {
    expect((await fetch(`${baseUrl}/assets/no-such-file.js`)).status).toBe(404);
  });

  test('logs each request on the container’s output and stops on `docker stop` with code 0', async () => {
    await fetch(`${baseUrl}/rocks`);
    expect(await web.logs()).toMatch(/"GET \/rocks HTTP\/1\.1" 200/);
    expect(await web.stop()).toEqual({ exitCode: 0 });
  });

  test('the same image started with API_URL serves it as config.json, always revalidated', async () => {
    const other = await scope.run({ image: testTag(projectImages.clientProduction), publish: [80], env: { API_URL: 'https://api.example.com/' } });
    const otherUrl = `http://127.0.0.1:${await other.port(80)}`;
    await waitForOk(otherUrl, () => other.logs());
    const config = await fetch(`${otherUrl}/config.json`);
    expect(config.headers.get('cache-control')).toBe('no-cache');
    expect(await config.json()).toEqual({ apiUrl: 'https://api.example.com' });
  });

  test('an API_URL that is not an address stops the container at start, saying why', async () => {
    const broken = await scope.run({ image: testTag(projectImages.clientProduction), env: { API_URL: 'not an address' } });
    await broken.waitForExit();
    expect((await broken.inspect()).State.ExitCode).not.toBe(0);
    expect(await broken.logs()).toContain('API_URL must be an http(s) URL');
  });
});
