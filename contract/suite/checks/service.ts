import assert from 'node:assert/strict';
import { healthResponse, liveResponse, messageError } from '../../src/index.js';
import type { ContractCheck } from '../contract-session.js';
import { expectAnswer } from '../http.js';

export const serviceChecks: ContractCheck[] = [
  {
    name: 'GET /health answers 200 "ok" with a database that answers, without a token',
    readOnly: true,
    run: async ({ call }) => {
      const health = expectAnswer(await call('GET', '/health'), 200, healthResponse);
      assert.deepEqual([health.status, health.database], ['ok', 'ok']);
    },
  },
  {
    name: 'GET /health/live answers 200 "live"',
    readOnly: true,
    run: async ({ call }) => {
      assert.equal(expectAnswer(await call('GET', '/health/live'), 200, liveResponse).status, 'live');
    },
  },
  {
    name: 'an unknown route answers 404 with a message',
    readOnly: true,
    run: async ({ call }) => {
      assert.deepEqual(expectAnswer(await call('GET', '/rockz'), 404, messageError), { message: 'No route for GET /rockz' });
    },
  },
];
