import { z } from 'zod';
import { storable } from '../common-schemas.js';

export const REGISTER_MISSING_FIELDS = 'You must provide email, password, first_name, and last_name';
export const LOGIN_MISSING_FIELDS = 'You must provide email and password';
/** Django's own limit: longer passwords are refused before hashing (a cheap denial of service otherwise). */
const MAX_PASSWORD_LENGTH = 4096;

const requiredText = (missing: string) => z.string({ error: missing }).trim().min(1, missing);
/** Django refuses NUL in every form field; for a password it matters most, as HMAC pads keys with zero bytes. */
const password = (missing: string) =>
  z
    .string({ error: missing })
    .min(1, missing)
    .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`)
    .refine(...storable('password'));

export const registerBody = z.object(
  {
    email: requiredText(REGISTER_MISSING_FIELDS)
      .max(150, 'email must be at most 150 characters')
      .refine(...storable('email'))
      .pipe(z.email({ error: 'email must be a valid e-mail address' })),
    password: password(REGISTER_MISSING_FIELDS),
    first_name: requiredText(REGISTER_MISSING_FIELDS).max(150, 'first_name must be at most 150 characters').refine(...storable('first_name')),
    last_name: requiredText(REGISTER_MISSING_FIELDS).max(150, 'last_name must be at most 150 characters').refine(...storable('last_name')),
  },
  { error: REGISTER_MISSING_FIELDS },
);

export const loginBody = z.object(
  {
    // Named "email" by the original client; a username is accepted too.
    email: requiredText(LOGIN_MISSING_FIELDS).max(254, 'email must be at most 254 characters').refine(...storable('email')),
    password: password(LOGIN_MISSING_FIELDS),
  },
  { error: LOGIN_MISSING_FIELDS },
);

export const tokenResponse = z.object({ token: z.string() });
export const loginResponse = z.union([z.object({ valid: z.literal(true), token: z.string() }), z.object({ valid: z.literal(false) })]);
