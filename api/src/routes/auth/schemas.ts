import { z } from 'zod';

export const REGISTER_MISSING_FIELDS = 'You must provide email, password, first_name, and last_name';
export const LOGIN_MISSING_FIELDS = 'You must provide email and password';
/** Django's own limit: longer passwords are refused before hashing (a cheap denial of service otherwise). */
const MAX_PASSWORD_LENGTH = 4096;

const requiredText = (missing: string) => z.string({ error: missing }).trim().min(1, missing);

export const registerBody = z.object(
  {
    email: requiredText(REGISTER_MISSING_FIELDS)
      .max(150, 'email must be at most 150 characters')
      .pipe(z.email({ error: 'email must be a valid e-mail address' })),
    password: z
      .string({ error: REGISTER_MISSING_FIELDS })
      .min(1, REGISTER_MISSING_FIELDS)
      .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`),
    first_name: requiredText(REGISTER_MISSING_FIELDS).max(150, 'first_name must be at most 150 characters'),
    last_name: requiredText(REGISTER_MISSING_FIELDS).max(150, 'last_name must be at most 150 characters'),
  },
  { error: REGISTER_MISSING_FIELDS },
);

export const loginBody = z.object(
  {
    // Named "email" by the original client; a username is accepted too.
    email: requiredText(LOGIN_MISSING_FIELDS).max(254, 'email must be at most 254 characters'),
    password: z
      .string({ error: LOGIN_MISSING_FIELDS })
      .min(1, LOGIN_MISSING_FIELDS)
      .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`),
  },
  { error: LOGIN_MISSING_FIELDS },
);

export const tokenResponse = z.object({ token: z.string() });
export const loginResponse = z.union([z.object({ valid: z.literal(true), token: z.string() }), z.object({ valid: z.literal(false) })]);
