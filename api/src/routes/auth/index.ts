import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DECOY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../auth/password.js';
import { DuplicateAccountError } from '../../repositories/users-repository.js';
import { messageSchema } from '../common-schemas.js';
import { loginBody, loginResponse, registerBody, tokenResponse } from './schemas.js';

const DUPLICATE_ACCOUNT = 'An account with that username already exists';

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/register',
    { onRequest: [app.authAttemptLimit, app.registrationLimit], schema: { body: registerBody, response: { 200: tokenResponse, 400: messageSchema, 429: messageSchema } } },
    async (request, reply) => {
      const { email, password, first_name, last_name } = request.body;
      if (await app.users.emailTaken(email)) return reply.code(400).send({ message: DUPLICATE_ACCOUNT });
      const passwordHash = await hashPassword(password);
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
  app.post('/login', { onRequest: app.authAttemptLimit, schema: { body: loginBody, response: { 200: loginResponse, 400: messageSchema, 429: messageSchema } } }, async (request, reply) => {
    const { email: identifier, password } = request.body;
    // A locked account is refused before its password is looked at: right or wrong, known or not, the same answer.
    const attempt = await app.loginThrottle.begin(identifier, { address: request.ip, log: request.log });
    if (attempt.locked) return reply.code(429).header('retry-after', attempt.retryAfterSeconds).send({ message: attempt.message });
    const candidates = await app.users.findLoginCandidates(identifier);
    for (const candidate of candidates) {
      if (await verifyPassword(password, candidate.passwordHash)) {
        await attempt.succeeded();
        return { valid: true as const, token: await app.users.tokenFor(candidate.id) };
      }
    }
    // Spend the same work when nobody matched, so response time does not reveal which e-mails exist.
    if (candidates.length === 0) await verifyPassword(password, DECOY_PASSWORD_HASH);
    await attempt.failed();
    return { valid: false as const };
  });
};

export default authRoutes;
