import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkCredentials } from '../../auth/check-credentials.js';
import { hashPassword } from '../../auth/password.js';
import { DUPLICATE_ACCOUNT, loginBody, loginResponse, registerBody, tokenResponse } from '@rock-of-ages/contract';
import { DuplicateAccountError } from '../../repositories/users-repository.js';
import { bodyFailures, throttleFailures } from '../route-responses.js';

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/register',
    { onRequest: [app.authAttemptLimit, app.registrationLimit], schema: { body: registerBody, response: { 200: tokenResponse, ...bodyFailures, ...throttleFailures } } },
    async (request, reply) => {
      const { email, password, first_name, last_name } = request.body;
      // Hashing whether or not the address is taken, so that timing does not tell which are.
      const [taken, passwordHash] = await Promise.all([app.users.emailTaken(email), app.passwordHashing.run(() => hashPassword(password))]);
      if (taken) return reply.code(400).send({ message: DUPLICATE_ACCOUNT });
      try {
        const token = await app.users.createWithToken({ email, passwordHash, firstName: first_name, lastName: last_name });
        return { token };
      } catch (error) {
        // Two registrations of one address at the same moment: the unique index decides.
        if (error instanceof DuplicateAccountError) return reply.code(400).send({ message: DUPLICATE_ACCOUNT });
        throw error;
      }
    },
  );

  // Wrong credentials answer 200 {"valid": false}: the original client reads `valid`, not the status.
  app.post('/login', { onRequest: app.authAttemptLimit, schema: { body: loginBody, response: { 200: loginResponse, ...bodyFailures, ...throttleFailures } } }, async (request, reply) => {
    const { email: identifier, password } = request.body;
    // A locked account is refused before its password is looked at: right or wrong, known or not, the same answer.
    const attempt = await app.loginThrottle.begin(identifier, { address: request.ip, log: request.log });
    if (attempt.locked) return reply.code(429).header('retry-after', attempt.retryAfterSeconds).send({ message: attempt.message });
    const userId = await app.passwordHashing.run(() => checkCredentials(app.users, identifier, password));
    if (userId === undefined) {
      await attempt.failed();
      return { valid: false as const };
    }
    await attempt.succeeded();
    return { valid: true as const, token: await app.users.tokenFor(userId) };
  });
};

export default authRoutes;
