import { contractChecks } from './checks/index.js';
import { createContractSession, type ContractCheck } from './contract-session.js';
import { createHttp } from './http.js';
import { fetchOpenApiDocument, openApiConformance } from './openapi-conformance.js';

export interface ContractRunOptions {
  baseUrl: string;
  /** Only the checks that create nothing: the smoke test of a live deployment. */
  readOnly?: boolean;
  log?: (line: string) => void;
}

export interface ContractRunResult {
  passed: number;
  failed: number;
}

/** The checks a run makes: all of them, or only the read-only ones. */
export const selectChecks = (readOnly: boolean): ContractCheck[] => contractChecks.filter((check) => !readOnly || check.readOnly === true);

/**
 * A session on the deployment at `baseUrl`, with every answer checked against the deployment's own
 * OpenAPI document when it serves one.
 */
export async function openContractSession(baseUrl: string) {
  const document = await fetchOpenApiDocument(baseUrl);
  const session = createContractSession(createHttp(baseUrl, document === undefined ? undefined : openApiConformance(document)), baseUrl);
  return { session, checkedAgainstDocument: document !== undefined };
}

/** Runs the checks one after another, then deletes what they created; a failure never stops the run. */
export async function runContract({ baseUrl, readOnly = false, log = console.log }: ContractRunOptions): Promise<ContractRunResult> {
  const { session, checkedAgainstDocument } = await openContractSession(baseUrl);
  log(`Contract checks against ${baseUrl}${readOnly ? ' (read-only)' : ''}; answers ${checkedAgainstDocument ? 'checked against its /openapi.json' : 'not checked against a document (it serves none)'}`);
  let passed = 0;
  let failed = 0;
  try {
    for (const check of selectChecks(readOnly)) {
      try {
        await check.run(session);
        passed++;
        log(`  ✓ ${check.name}`);
      } catch (error) {
        failed++;
        log(`  ✗ ${check.name}\n      ${(error as Error).message.replace(/\n/g, '\n      ')}`);
      }
    }
  } finally {
    await session.cleanUp();
  }
  log(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
