import { checkPassword, DECOY_PASSWORD_HASH } from './password.js';

/** What checking a login needs from the users' storage. */
export interface CredentialStore {
  findLoginCandidates: (identifier: string) => Promise<{ id: number; passwordHash: string }[]>;
  replacePasswordHash: (userId: number, previousHash: string, newHash: string) => Promise<void>;
}

/**
 * The id of the user that `identifier` (username or e-mail) and `password` name, if any. When nobody
 * matches, a decoy hash is checked so that the answer takes as long; a match on a hash of an older
 * work factor stores the password hashed with today's, as Django does at login.
 */
export async function checkCredentials(store: CredentialStore, identifier: string, password: string): Promise<number | undefined> {
  const candidates = await store.findLoginCandidates(identifier);
  for (const candidate of candidates) {
    const check = await checkPassword(password, candidate.passwordHash);
    if (!check.matches) continue;
    if (check.rehashed !== undefined) await store.replacePasswordHash(candidate.id, candidate.passwordHash, check.rehashed);
    return candidate.id;
  }
  if (candidates.length === 0) await checkPassword(password, DECOY_PASSWORD_HASH);
  return undefined;
}
