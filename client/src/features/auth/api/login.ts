import { useMutation } from '@tanstack/react-query';
import { z } from 'zod/mini';
import { request } from '../../../lib/api-client';
import { signIn } from '../../../lib/session';

export interface Credentials {
  email: string;
  password: string;
}

// Wrong credentials are a 200 with {"valid": false}: the contract keeps the original's answer.
const loginAnswer = z.union([z.object({ valid: z.literal(true), token: z.string().check(z.minLength(1)) }), z.object({ valid: z.literal(false) })]);

/** Signs in and answers true, or answers false when the e-mail or password is wrong. */
export async function login(credentials: Credentials): Promise<boolean> {
  const answer = await request('/login', { method: 'POST', body: credentials, schema: loginAnswer });
  if (!answer.valid) return false;
  signIn(answer.token);
  return true;
}

export function useLogin() {
  return useMutation({ mutationFn: login });
}
