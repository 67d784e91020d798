import { describe, expect, it } from 'vitest';
import { spaRewriteFunctionPath } from '../src/client-hosting.js';
import { loadViewerRequestHandler } from './support/cloudfront-function.js';

const handler = loadViewerRequestHandler(spaRewriteFunctionPath);

const rewrite = (uri: string) => handler({ request: { uri, querystring: {} } }).uri;

describe('the SPA rewrite function', () => {
  it.each(['/', '/rocks', '/rocks/mine', '/login', '/register/'])('serves index.html for the route %s', (uri) => {
    expect(rewrite(uri)).toBe('/index.html');
  });

  it.each(['/index.html', '/assets/index-3f2a9c.js', '/assets/index-77b1.css', '/favicon.ico', '/rocks/photo.v2.png'])(
    'passes the file %s through unchanged',
    (uri) => {
      expect(rewrite(uri)).toBe(uri);
    },
  );

  it('keeps the query string', () => {
    const request = handler({ request: { uri: '/rocks', querystring: { owner: { value: 'current' } } } });
    expect(request).toEqual({ uri: '/index.html', querystring: { owner: { value: 'current' } } });
  });
});
