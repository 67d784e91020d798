import { describe, expect, it } from 'vitest';
import { getSession, signIn, signOut, TOKEN_STORAGE_KEY } from './session';

/** What another tab does: write localStorage, which fires a storage event here. */
function writeFromAnotherTab(value: string | null) {
  if (value === null) localStorage.removeItem(TOKEN_STORAGE_KEY);
  else localStorage.setItem(TOKEN_STORAGE_KEY, value);
  window.dispatchEvent(new StorageEvent('storage', { key: TOKEN_STORAGE_KEY, newValue: value }));
}

describe('session', () => {
  it('keeps the token as the original client did: rock_token = {"token": "..."}', () => {
    signIn('abcdef123456');

    expect(localStorage.getItem('rock_token')).toBe('{"token":"abcdef123456"}');
    expect(getSession()).toEqual({ token: 'abcdef123456', endReason: null });
  });

  it('forgets the token on sign out', () => {
    signIn('abcdef123456');
    signOut();

    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(getSession()).toEqual({ token: null, endReason: 'logout' });
  });

  it('follows a sign-in made in another tab', () => {
    writeFromAnotherTab('{"token": "ghijkl789012"}');

    expect(getSession().token).toBe('ghijkl789012');
  });

  it.each(['not json', '"abcdef123456"', '{"token": ""}', '{"key": "abcdef123456"}'])(
    'treats a stored value it cannot read (%s) as signed out',
    (stored) => {
      signIn('abcdef123456');
      writeFromAnotherTab(stored);

      expect(getSession().token).toBeNull();
    },
  );
});
