import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../testing/server';
import { CONFIG_PATH, loadAppConfig, parseConfigFile } from './app-config';

const origin = 'https://rocks.example.com';
const configUrl = `${origin}${CONFIG_PATH}`;
const serveConfig = (answer: () => Response) => server.use(http.get(configUrl, answer));

describe('the app configuration', () => {
  it('takes the API address from config.json, absolute or as a path on the same site', async () => {
    serveConfig(() => HttpResponse.json({ apiUrl: 'https://api.example.com/v1/' }));
    await expect(loadAppConfig({ origin })).resolves.toEqual({ apiUrl: 'https://api.example.com/v1' });

    serveConfig(() => HttpResponse.json({ apiUrl: '/api' }));
    await expect(loadAppConfig({ origin })).resolves.toEqual({ apiUrl: 'https://rocks.example.com/api' });
  });

  it.each([
    ['a 404', () => new HttpResponse('Not Found', { status: 404 })],
    ['a 403 (S3 for a missing object)', () => new HttpResponse('AccessDenied', { status: 403 })],
    ['an HTML page (a single-page-app fallback)', () => HttpResponse.html('<!doctype html><div id="root"></div>')],
  ])('falls back to the built-in default when config.json is missing: %s', async (_case, answer) => {
    serveConfig(answer);

    await expect(loadAppConfig({ origin, fallback: (pageOrigin) => ({ apiUrl: `${pageOrigin}/fallback` }) })).resolves.toEqual({
      apiUrl: 'https://rocks.example.com/fallback',
    });
  });

  it("falls back to the dev server's VITE_API_URL default under Vitest, which runs the app as the dev server does", async () => {
    serveConfig(() => new HttpResponse(null, { status: 404 }));

    await expect(loadAppConfig({ origin })).resolves.toEqual({ apiUrl: 'http://localhost:8000' });
  });

  it.each([{}, { apiUrl: 'localhost:8000' }, { apiUrl: 'ftp://files.example.com' }, { apiUrl: '//api.example.com' }, { apiUrl: 42 }])(
    'refuses config.json %j, saying what is expected',
    (content) => {
      expect(() => parseConfigFile(content, origin)).toThrow(
        '/config.json is not valid:\n- apiUrl must be an http(s) URL, such as https://api.example.com, or a path on this site, such as /api',
      );
    },
  );

  it('stops with a message when config.json is not JSON, or cannot be had', async () => {
    serveConfig(() => new HttpResponse('apiUrl = /api', { headers: { 'Content-Type': 'text/plain' } }));
    await expect(loadAppConfig({ origin })).rejects.toThrow('/config.json is not valid JSON.');

    serveConfig(() => new HttpResponse(null, { status: 500 }));
    await expect(loadAppConfig({ origin })).rejects.toThrow('/config.json answered 500: reload the page in a moment.');

    serveConfig(() => HttpResponse.error());
    await expect(loadAppConfig({ origin })).rejects.toThrow('/config.json could not be fetched');
  });
});
