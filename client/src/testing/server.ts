import { setupServer } from 'msw/node';
import { env } from '../config/env';

/** Stands in for the API; a request no test expected fails the test. */
export const server = setupServer();

export const apiUrl = (path: string) => `${env.apiUrl}${path}`;
