import { describe, expect, it } from 'vitest';
import { stripApiPrefixFunctionPath } from '../src/api-route.js';
import { loadViewerRequestHandler } from './support/cloudfront-function.js';

const handler = loadViewerRequestHandler(stripApiPrefixFunctionPath);

const forward = (uri: string) => handler({ request: { uri, querystring: {} } }).uri;

describe('the function that strips /api from API requests', () => {
  it.each([
    ['/api/register', '/register'],
    ['/api/login', '/login'],
    ['/api/types', '/types'],
    ['/api/rocks', '/rocks'],
    ['/api/rocks/42', '/rocks/42'],
    ['/api/health', '/health'],
    ['/api/', '/'],
  ])('forwards %s to the API as %s', (uri, expected) => {
    expect(forward(uri)).toBe(expected);
  });

  it('strips the prefix once only', () => {
    expect(forward('/api/api/rocks')).toBe('/api/rocks');
  });

  it('leaves a path outside /api/ as it is', () => {
    expect(forward('/apiary/rocks')).toBe('/apiary/rocks');
    expect(forward('/rocks')).toBe('/rocks');
  });

  it('keeps the query string', () => {
    const request = handler({ request: { uri: '/api/rocks', querystring: { owner: { value: 'current' } } } });
    expect(request).toEqual({ uri: '/rocks', querystring: { owner: { value: 'current' } } });
  });
});
