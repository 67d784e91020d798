import assert from 'node:assert/strict';
import { DUPLICATE_ACCOUNT, LOGIN_MISSING_FIELDS, loginResponse, messageError, REGISTER_MISSING_FIELDS, rockList } from '../../src/index.js';
import type { ContractCheck } from '../contract-session.js';
import { expectAnswer } from '../http.js';

export const accountChecks: ContractCheck[] = [
  {
    name: 'POST /register answers 200 with a 40-character token that authenticates, and no rocks yet',
    run: async ({ call, user }) => {
      const ada = await user('ada');
      assert.match(ada.token, /^[0-9a-f]{40}$/);
      assert.deepEqual(expectAnswer(await call('GET', '/rocks?owner=current', { token: ada.token }), 200, rockList), []);
    },
  },
  {
    name: 'POST /register with an e-mail address already taken, in any case, answers 400',
    run: async ({ call, user }) => {
      const ada = await user('ada');
      const answer = await call('POST', '/register', { body: { ...ada, email: ada.email.toUpperCase(), token: undefined } });
      assert.deepEqual(expectAnswer(answer, 400, messageError), { message: DUPLICATE_ACCOUNT });
    },
  },
  {
    name: 'POST /register without a field, or with a blank one, answers 400 with the contract message',
    run: async ({ call, runId }) => {
      const email = `contract-${runId}-incomplete@example.com`;
      for (const body of [{ password: 'p', first_name: 'A', last_name: 'B' }, { email, first_name: 'A', last_name: 'B' }, { email, password: 'p', first_name: ' ', last_name: 'B' }, {}]) {
        assert.deepEqual(expectAnswer(await call('POST', '/register', { body }), 400, messageError), { message: REGISTER_MISSING_FIELDS });
      }
    },
  },
  {
    name: 'POST /register with an e-mail that is not an e-mail address answers 400',
    run: async ({ call }) => {
      const answer = await call('POST', '/register', { body: { email: 'not-an-email', password: 'p', first_name: 'A', last_name: 'B' } });
      assert.deepEqual(expectAnswer(answer, 400, messageError), { message: 'email must be a valid e-mail address' });
    },
  },
  {
    name: 'POST /login with the e-mail address in another case answers {"valid": true} and the account\'s token',
    run: async ({ call, user }) => {
      const ada = await user('ada');
      const answer = await call('POST', '/login', { body: { email: ada.email.toUpperCase(), password: ada.password } });
      assert.deepEqual(expectAnswer(answer, 200, loginResponse), { valid: true, token: ada.token });
    },
  },
  {
    name: 'POST /login with a wrong password answers 200 {"valid": false}',
    run: async ({ call, user }) => {
      const ada = await user('ada');
      const answer = await call('POST', '/login', { body: { email: ada.email, password: `${ada.password}!` } });
      assert.deepEqual(expectAnswer(answer, 200, loginResponse), { valid: false });
    },
  },
  {
    name: 'POST /login without a password answers 400 with the contract message',
    readOnly: true,
    run: async ({ call }) => {
      const answer = await call('POST', '/login', { body: { email: 'nobody@example.com' } });
      assert.deepEqual(expectAnswer(answer, 400, messageError), { message: LOGIN_MISSING_FIELDS });
    },
  },
];
