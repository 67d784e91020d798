import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { setAppConfig } from '../config/app-config';
import { server, TEST_API_URL } from './server';

setAppConfig({ apiUrl: TEST_API_URL });
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  // As if another tab cleared the storage: back to a visitor who has never signed in.
  localStorage.clear();
  window.dispatchEvent(new StorageEvent('storage', { key: null }));
});
afterAll(() => server.close());
