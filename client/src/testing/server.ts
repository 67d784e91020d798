import { setupServer } from 'msw/node';

/** Stands in for the API; a request no test expected fails the test. */
export const server = setupServer();

/** Where the tests' app finds the API (set in setup.ts). */
export const TEST_API_URL = 'https://api.rock-of-ages.test';

export const apiUrl = (path: string) => `${TEST_API_URL}${path}`;
