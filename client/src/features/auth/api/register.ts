import { useMutation } from '@tanstack/react-query';
import { tokenResponse, type Registration } from '@rock-of-ages/contract';
import { request } from '../../../lib/api-client';
import { signIn } from '../../../lib/session';

/** Creates the account and signs in with its new token. */
export async function register(registration: Registration): Promise<void> {
  const { token } = await request('/register', { method: 'POST', body: registration, schema: tokenResponse });
  signIn(token);
}

export function useRegister() {
  return useMutation({ mutationFn: register });
}
