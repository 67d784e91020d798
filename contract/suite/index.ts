// The black-box contract suite: run from the command line (cli.ts) or by a test runner, one check at a time.
export { contractChecks } from './checks/index.js';
export type { ContractCheck, ContractSession } from './contract-session.js';
export { createHttp, expectAnswer, type Answer, type CallOptions } from './http.js';
export { fetchOpenApiDocument, openApiConformance } from './openapi-conformance.js';
export { openContractSession, runContract, selectChecks } from './run-contract.js';
