import { useMutation } from '@tanstack/react-query';
import { z } from 'zod/mini';
import { request } from '../../../lib/api-client';
import { signIn } from '../../../lib/session';

export interface Registration {
  first_name: string;
  last_name: string;
  email: string;
  password: string;
}

const tokenAnswer = z.object({ token: z.string().check(z.minLength(1)) });

/** Creates the account and signs in with its new token. */
export async function register(registration: Registration): Promise<void> {
  const { token } = await request('/register', { method: 'POST', body: registration, schema: tokenAnswer });
  signIn(token);
}

export function useRegister() {
  return useMutation({ mutationFn: register });
}
