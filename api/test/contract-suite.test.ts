import { contractChecks, openContractSession } from '@rock-of-ages/contract/suite';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DIALECTS } from './support/test-database.js';
import { startTestServer, type TestServer } from './support/test-server.js';

type Session = Awaited<ReturnType<typeof openContractSession>>['session'];

// The black-box suite that `npm run contract -- --url …` runs against any deployment, here against
// a fresh API on each engine; every answer is also checked against the API's /openapi.json.
describe.each(DIALECTS)('%s: black-box contract suite', (dialect) => {
  let server: TestServer;
  let session: Session;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ session } = await openContractSession(server.baseUrl));
  });
  afterAll(async () => {
    await session?.cleanUp();
    await server?.close();
  });

  for (const check of contractChecks) {
    it(check.name, () => check.run(session));
  }
});
