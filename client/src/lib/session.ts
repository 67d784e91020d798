import { useSyncExternalStore } from 'react';

/** The original client's key and shape: localStorage.rock_token = '{"token": "..."}'. */
export const TOKEN_STORAGE_KEY = 'rock_token';

/** How the last session ended: the user logged out, or the API refused the token. */
export type EndReason = 'logout' | 'expired';

export interface Session {
  token: string | null;
  /** Null while signed in, and for a visitor who has not signed in yet. */
  endReason: EndReason | null;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session = { token: readStoredToken(), endReason: null };

function readStoredToken(): string | null {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(TOKEN_STORAGE_KEY) ?? 'null');
    if (typeof stored === 'object' && stored !== null && 'token' in stored && typeof stored.token === 'string' && stored.token !== '') {
      return stored.token;
    }
  } catch {
    // A hand-edited or foreign value: treat it as signed out rather than crash.
  }
  return null;
}

function update(next: Session): void {
  current = next;
  for (const listener of listeners) listener();
}

export function getSession(): Session {
  return current;
}

export function signIn(token: string): void {
  localStorage.setItem(TOKEN_STORAGE_KEY, JSON.stringify({ token }));
  update({ token, endReason: null });
}

export function signOut(reason: EndReason = 'logout'): void {
  localStorage.removeItem(TOKEN_STORAGE_KEY);
  update({ token: null, endReason: reason });
}

export function subscribeToSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Signing in or out in another tab applies here too.
window.addEventListener('storage', (event) => {
  if (event.key === TOKEN_STORAGE_KEY || event.key === null) update({ token: readStoredToken(), endReason: null });
});

export function useSession(): Session {
  return useSyncExternalStore(subscribeToSession, getSession);
}
