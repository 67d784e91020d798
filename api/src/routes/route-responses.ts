import { detailError, messageError } from '@rock-of-ages/contract';

/**
 * The failures a route can answer besides its own, declared on every route so that the OpenAPI
 * document lists every status a client may see (the error handler shapes them all).
 */

/** Any route: a body encoding or charset it cannot read (415), an unreachable database (503), a failure of ours (500). */
export const anyRouteFailures = { 415: messageError, 500: messageError, 503: messageError };

/** Routes that read a JSON body: one that is not valid (400) or too large (413). */
export const bodyFailures = { 400: messageError, 413: messageError, ...anyRouteFailures };

/** Routes behind `Authorization: Token <key>`: a missing or refused token, in DRF's words. */
export const tokenFailures = { 401: detailError };

/** `/login` and `/register`: too many attempts from one address or on one account. */
export const throttleFailures = { 429: messageError };
