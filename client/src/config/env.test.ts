import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('defaults the API to http://localhost:8000', () => {
    expect(parseEnv({})).toEqual({ apiUrl: 'http://localhost:8000' });
    expect(parseEnv({ VITE_API_URL: '' })).toEqual({ apiUrl: 'http://localhost:8000' });
  });

  it('takes VITE_API_URL without its trailing slash', () => {
    expect(parseEnv({ VITE_API_URL: 'https://api.example.com/' })).toEqual({ apiUrl: 'https://api.example.com' });
  });

  it('refuses a value that is not an http(s) URL, saying what is expected', () => {
    expect(() => parseEnv({ VITE_API_URL: 'localhost:8000' })).toThrow(/VITE_API_URL must be an http\(s\) URL/);
  });
});
