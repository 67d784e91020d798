import { useMutation } from '@tanstack/react-query';
import { loginResponse, type Credentials } from '@rock-of-ages/contract';
import { request } from '../../../lib/api-client';
import { signIn } from '../../../lib/session';

/** Signs in and answers true, or answers false when the e-mail or password is wrong. */
export async function login(credentials: Credentials): Promise<boolean> {
  const answer = await request('/login', { method: 'POST', body: credentials, schema: loginResponse });
  if (!answer.valid) return false;
  signIn(answer.token);
  return true;
}

export function useLogin() {
  return useMutation({ mutationFn: login });
}
