import type { ExpressionBuilder, Kysely } from 'kysely';
import { generateToken } from '../auth/token.js';
import { isUniqueViolation } from '../db/constraint-errors.js';
import { precompile } from '../db/precompiled-query.js';
import type { Database } from '../db/schema.js';

export interface AuthenticatedUser {
  id: number;
  firstName: string;
  lastName: string;
  isActive: boolean;
  tokenKey: string;
}

export interface LoginCandidate {
  id: number;
  passwordHash: string;
}

export interface NewAccount {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
}

export class DuplicateAccountError extends Error {
  override name = 'DuplicateAccountError';
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

/** Users whose username or e-mail address is `identifier`, ignoring case. */
const identifiedBy = (identifier: string) => (eb: ExpressionBuilder<Database, 'auth_user'>) => {
  const lowered = identifier.toLowerCase();
  return eb.or([eb(eb.fn('lower', ['username']), '=', lowered), eb(eb.fn('lower', ['email']), '=', lowered)]);
};

export function createUsersRepository(db: Kysely<Database>) {
  // Every authenticated request runs it: built and compiled once (the key given here only holds the placeholder's place).
  const userByToken = precompile(
    db,
    db.selectFrom('authtoken_token as t').innerJoin('auth_user as u', 'u.id', 't.user_id').select(['u.id', 'u.first_name', 'u.last_name', 'u.is_active', 't.key']).where('t.key', '=', ''),
  );

  return {
    async findByToken(key: string): Promise<AuthenticatedUser | undefined> {
      const [row] = await userByToken(key);
      if (row === undefined) return undefined;
      return { id: row.id, firstName: row.first_name, lastName: row.last_name, isActive: Boolean(row.is_active), tokenKey: row.key };
    },

    /** Active users that `identifier` names; an exact username match comes first. */
    async findLoginCandidates(identifier: string): Promise<LoginCandidate[]> {
      const rows = await db
        .selectFrom('auth_user')
        .select(['id', 'password'])
        .where('is_active', '=', 1)
        .where(identifiedBy(identifier))
        .orderBy((eb) => eb.case().when('username', '=', identifier).then(0).else(1).end())
        .orderBy('id')
        .limit(5)
        .execute();
      return rows.map((row) => ({ id: row.id, passwordHash: row.password }));
    },

    async emailTaken(email: string): Promise<boolean> {
      const row = await db.selectFrom('auth_user').select('id').where(identifiedBy(email)).executeTakeFirst();
      return row !== undefined;
    },

    /** Creates the user (username = e-mail, as the original did) and its token; returns the token. */
    async createWithToken(account: NewAccount): Promise<string> {
      const now = new Date().toISOString();
      const key = generateToken();
      try {
        await db.transaction().execute(async (trx) => {
          const user = await trx
            .insertInto('auth_user')
            .values({
              username: account.email,
              email: account.email,
              password: account.passwordHash,
              first_name: account.firstName,
              last_name: account.lastName,
              is_superuser: 0,
              is_staff: 0,
              is_active: 1,
              last_login: null,
              date_joined: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx.insertInto('authtoken_token').values({ key, user_id: user.id, created: now }).execute();
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateAccountError('An account with that username already exists', { cause: error });
        throw error;
      }
      return key;
    },

    /** Stores a rehashed password, unless the password changed in the meantime. */
    async replacePasswordHash(userId: number, previousHash: string, newHash: string): Promise<void> {
      await db.updateTable('auth_user').set({ password: newHash }).where('id', '=', userId).where('password', '=', previousHash).execute();
    },

    /** The user's token, created on first use (DRF's `Token.objects.get_or_create`). */
    async tokenFor(userId: number): Promise<string> {
      const existing = await db.selectFrom('authtoken_token').select('key').where('user_id', '=', userId).executeTakeFirst();
      if (existing !== undefined) return existing.key;
      await db
        .insertInto('authtoken_token')
        .values({ key: generateToken(), user_id: userId, created: new Date().toISOString() })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
      const created = await db.selectFrom('authtoken_token').select('key').where('user_id', '=', userId).executeTakeFirstOrThrow();
      return created.key;
    },
  };
}
