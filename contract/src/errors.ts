import { z } from 'zod/mini';

/** How the API explains every refusal (validation, ownership, unknown routes, limits, outages): `{"message": "…"}`. */
export const messageError = z.object({ message: z.string() }).check(z.meta({ id: 'Message', description: 'A refusal or failure, explained in one sentence.' }));
export type MessageError = z.infer<typeof messageError>;

/** How a refused token is explained, in Django REST framework's words (always with status 401): `{"detail": "…"}`. */
export const detailError = z
  .object({ detail: z.string() })
  .check(z.meta({ id: 'Detail', description: "Authentication refused, in Django REST framework's words; sent with WWW-Authenticate: Token." }));
export type DetailError = z.infer<typeof detailError>;

/** DRF's answers to a missing or refused `Authorization: Token <key>` header. */
export const AUTHENTICATION_DETAILS = {
  notProvided: 'Authentication credentials were not provided.',
  noCredentials: 'Invalid token header. No credentials provided.',
  spacesInToken: 'Invalid token header. Token string should not contain spaces.',
  invalidToken: 'Invalid token.',
  inactiveUser: 'User inactive or deleted.',
} as const;
