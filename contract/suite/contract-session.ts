import { randomBytes } from 'node:crypto';
import { rock, tokenResponse, type Rock } from '../src/index.js';
import { expectAnswer, type Call, type CallOptions } from './http.js';

/** A user the suite registered for this run. */
export interface SuiteUser {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  token: string;
}

/**
 * What the checks share in one run: the HTTP client, users registered for this run only (unique
 * addresses, so that runs never meet), and the rocks they created, deleted again at the end.
 */
export function createContractSession(call: Call, baseUrl: string) {
  /** The deployment's own origin: one its CORS settings allow, however narrowed (CORS_ORIGINS). */
  const origin = new URL(baseUrl).origin;
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const users = new Map<string, Promise<SuiteUser>>();
  const created: { id: number; token: string }[] = [];

  /** The run's user of that name, registered on first use. */
  const user = (name: string): Promise<SuiteUser> => {
    let registered = users.get(name);
    if (registered === undefined) {
      const details = { email: `contract-${runId}-${name}@example.com`, password: `pw ${runId} ${name}`, first_name: `Contract ${name}`, last_name: `Run ${runId}` };
      registered = call('POST', '/register', { body: details }).then((answer) => ({ ...details, token: expectAnswer(answer, 200, tokenResponse).token }));
      users.set(name, registered);
    }
    return registered;
  };

  /** Collects a rock as `owner`, remembered for the clean-up. */
  const collect = async (owner: SuiteUser, body: CallOptions['body']): Promise<Rock> => {
    const saved = expectAnswer(await call('POST', '/rocks', { token: owner.token, body }), 201, rock);
    created.push({ id: saved.id, token: owner.token });
    return saved;
  };

  /** Deletes every rock the run created that is still there; users cannot be deleted through the API. */
  const cleanUp = async () => {
    for (const { id, token } of created.splice(0)) await call('DELETE', `/rocks/${id}`, { token });
  };

  return { call, origin, runId, user, collect, cleanUp };
}

export type ContractSession = ReturnType<typeof createContractSession>;

/** One black-box check; `readOnly` ones create nothing, not even a failed-login record, and run as the deploy's smoke test. */
export interface ContractCheck {
  name: string;
  readOnly?: boolean;
  run: (session: ContractSession) => Promise<void>;
}
