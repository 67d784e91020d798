import { z } from 'zod/mini';
import { MAX_LOGIN_IDENTIFIER_LENGTH, MAX_PASSWORD_LENGTH, MAX_REGISTRATION_FIELD_LENGTH } from './limits.js';
import { storable } from './storable-fields.js';

export const REGISTER_MISSING_FIELDS = 'You must provide email, password, first_name, and last_name';
export const LOGIN_MISSING_FIELDS = 'You must provide email and password';
export const DUPLICATE_ACCOUNT = 'An account with that username already exists';

const requiredText = (missing: string) => z.string({ error: missing }).check(z.trim(), z.minLength(1, missing));
const atMost = (field: string, max: number) => z.maxLength(max, `${field} must be at most ${max} characters`);
/** Django refuses NUL in every form field; for a password it matters most, as HMAC pads keys with zero bytes. */
const password = (missing: string) =>
  z.string({ error: missing }).check(z.minLength(1, missing), atMost('password', MAX_PASSWORD_LENGTH), storable('password'));

/** `POST /register`: a new account, whose username is its e-mail address. */
export const registerBody = z.object(
  {
    email: z.pipe(
      requiredText(REGISTER_MISSING_FIELDS).check(atMost('email', MAX_REGISTRATION_FIELD_LENGTH), storable('email')),
      z.email({ error: 'email must be a valid e-mail address' }),
    ),
    password: password(REGISTER_MISSING_FIELDS),
    first_name: requiredText(REGISTER_MISSING_FIELDS).check(atMost('first_name', MAX_REGISTRATION_FIELD_LENGTH), storable('first_name')),
    last_name: requiredText(REGISTER_MISSING_FIELDS).check(atMost('last_name', MAX_REGISTRATION_FIELD_LENGTH), storable('last_name')),
  },
  { error: REGISTER_MISSING_FIELDS },
).check(z.describe('A new account; its username is the e-mail address.'));
export type Registration = z.input<typeof registerBody>;

/** `POST /login`: named "email" by the original client; a username is accepted too. */
export const loginBody = z.object(
  {
    email: requiredText(LOGIN_MISSING_FIELDS).check(atMost('email', MAX_LOGIN_IDENTIFIER_LENGTH), storable('email')),
    password: password(LOGIN_MISSING_FIELDS),
  },
  { error: LOGIN_MISSING_FIELDS },
).check(z.describe('Credentials: an e-mail address (or a username) and its password.'));
export type Credentials = z.input<typeof loginBody>;

/** `POST /register`'s answer: the new account's token, for `Authorization: Token <key>`. */
export const tokenResponse = z.object({ token: z.string() }).check(z.meta({ id: 'Token', description: "The new account's token." }));
export type TokenResponse = z.infer<typeof tokenResponse>;

/** `POST /login`'s answer: wrong credentials are a 200 with `{"valid": false}`, as the original client expects. */
export const loginResponse = z
  .union([z.object({ valid: z.literal(true), token: z.string() }), z.object({ valid: z.literal(false) })])
  .check(z.meta({ id: 'LoginResult', description: 'The token, or valid: false for wrong credentials.' }));
export type LoginResponse = z.infer<typeof loginResponse>;
