/**
 * Every limit of the contract, in one place: the API enforces them, the client's forms check them
 * before sending, and the tests probe their edges. Most are the original's column widths.
 */

/** A rock's name: `rockapi_rock.name` is varchar(155). */
export const MAX_ROCK_NAME_LENGTH = 155;

/** A rock's weight in kilograms: `rockapi_rock.weight` is numeric(5,2), and a rock weighs something. */
export const MIN_WEIGHT = 0.01;
export const MAX_WEIGHT = 999.99;
/** Decimals a weight may have; the API answers with exactly this many ("1.30"). */
export const WEIGHT_DECIMALS = 2;

/** E-mail address, first and last name at registration: `auth_user`'s varchar(150) columns (the e-mail becomes the username). */
export const MAX_REGISTRATION_FIELD_LENGTH = 150;

/** What `POST /login` accepts as "email": an e-mail address (varchar(254)) or a username. */
export const MAX_LOGIN_IDENTIFIER_LENGTH = 254;

/** Django's own limit: longer passwords are refused before hashing (a cheap denial of service otherwise). */
export const MAX_PASSWORD_LENGTH = 4096;

/** Ids are PostgreSQL `integer`s: a larger number cannot name a row. */
export const MAX_ID = 2_147_483_647;

/** `GET /rocks?limit=`: the largest page a client may ask for. */
export const MAX_PAGE_SIZE = 1000;
/** `GET /rocks?after=` without `limit`: the size of each page. */
export const DEFAULT_PAGE_SIZE = 100;
