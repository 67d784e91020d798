/**
 * NUL, or a UTF-16 surrogate without its pair. PostgreSQL refuses NUL in text; an unpaired surrogate
 * becomes U+FFFD on its way to either engine (and to PBKDF2), so "a\ud800" would be stored, and
 * hashed, as "a\ufffd". The pattern looks at most one character around each position: linear time.
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True for text that both engines store exactly as given. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}
