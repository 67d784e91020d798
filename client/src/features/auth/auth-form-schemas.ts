import { MAX_LOGIN_IDENTIFIER_LENGTH, MAX_PASSWORD_LENGTH, MAX_REGISTRATION_FIELD_LENGTH } from '@rock-of-ages/contract';
import { z } from 'zod/mini';

// The contract's limits, checked before sending so that messages appear next to the fields.
const requiredText = (label: string, max: number) =>
  z.string().check(z.trim(), z.minLength(1, `${label} is required`), z.maxLength(max, `${label} must be at most ${max} characters`));
const password = z
  .string()
  .check(z.minLength(1, 'Password is required'), z.maxLength(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters`));

export const loginFormSchema = z.object({
  // Labelled "Email" as in the original client; the API accepts a username here too.
  email: requiredText('Email', MAX_LOGIN_IDENTIFIER_LENGTH),
  password,
});

export const registerFormSchema = z.object({
  first_name: requiredText('First name', MAX_REGISTRATION_FIELD_LENGTH),
  last_name: requiredText('Last name', MAX_REGISTRATION_FIELD_LENGTH),
  email: z.pipe(requiredText('Email', MAX_REGISTRATION_FIELD_LENGTH), z.email('Enter an e-mail address, such as jane@example.com')),
  password,
});
