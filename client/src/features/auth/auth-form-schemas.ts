import { z } from 'zod/mini';

// The API's own limits, checked before sending so that messages appear next to the fields.
const requiredText = (label: string, max: number) =>
  z.string().check(z.trim(), z.minLength(1, `${label} is required`), z.maxLength(max, `${label} must be at most ${max} characters`));
const password = z.string().check(z.minLength(1, 'Password is required'), z.maxLength(4096, 'Password must be at most 4096 characters'));

export const loginFormSchema = z.object({
  // Labelled "Email" as in the original client; the API accepts a username here too.
  email: requiredText('Email', 254),
  password,
});

export const registerFormSchema = z.object({
  first_name: requiredText('First name', 150),
  last_name: requiredText('Last name', 150),
  email: z.pipe(requiredText('Email', 150), z.email('Enter an e-mail address, such as jane@example.com')),
  password,
});
