import assert from 'node:assert/strict';
import { AUTHENTICATION_DETAILS, detailError } from '../../src/index.js';
import type { ContractCheck } from '../contract-session.js';
import { expectAnswer } from '../http.js';

export const authenticationChecks: ContractCheck[] = [
  {
    name: 'GET /rocks without a token answers 401 "not provided", with WWW-Authenticate: Token',
    readOnly: true,
    run: async ({ call }) => {
      const answer = await call('GET', '/rocks');
      assert.deepEqual(expectAnswer(answer, 401, detailError), { detail: AUTHENTICATION_DETAILS.notProvided });
      assert.equal(answer.headers.get('www-authenticate'), 'Token');
    },
  },
  {
    name: 'GET /types and DELETE /rocks/:id without a token answer 401',
    readOnly: true,
    run: async ({ call }) => {
      assert.deepEqual(expectAnswer(await call('GET', '/types'), 401, detailError), { detail: AUTHENTICATION_DETAILS.notProvided });
      assert.deepEqual(expectAnswer(await call('DELETE', '/rocks/1'), 401, detailError), { detail: AUTHENTICATION_DETAILS.notProvided });
    },
  },
  {
    name: 'an unknown token answers 401 "Invalid token."',
    readOnly: true,
    run: async ({ call }) => {
      const answer = await call('GET', '/rocks', { token: `not-a-real-token-${Date.now()}` });
      assert.deepEqual(expectAnswer(answer, 401, detailError), { detail: AUTHENTICATION_DETAILS.invalidToken });
    },
  },
  {
    name: '"Token" with no key, or with spaces in it, answers 401 with DRF\'s messages',
    readOnly: true,
    run: async ({ call }) => {
      const empty = await call('GET', '/types', { headers: { authorization: 'Token' } });
      const spaced = await call('GET', '/types', { headers: { authorization: 'Token abc def' } });
      assert.deepEqual(expectAnswer(empty, 401, detailError), { detail: AUTHENTICATION_DETAILS.noCredentials });
      assert.deepEqual(expectAnswer(spaced, 401, detailError), { detail: AUTHENTICATION_DETAILS.spacesInToken });
    },
  },
  {
    name: 'a preflight for Authorization and Content-Type is allowed',
    readOnly: true,
    run: async ({ call, origin }) => {
      const answer = await call('OPTIONS', '/rocks', {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      assert.equal(answer.status, 204);
      assert.match(answer.headers.get('access-control-allow-headers') ?? '', /authorization/i);
      assert.match(answer.headers.get('access-control-allow-methods') ?? '', /DELETE/);
    },
  },
];
