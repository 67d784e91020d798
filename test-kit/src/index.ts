export { createApiDatabase, type ApiDatabase } from './api-database.js';
export { API_DIR, runApi, startApi, type ApiProcess, type RunApiOptions, type RunningApi, type StartApiOptions } from './api-process.js';
export { DIALECTS, selectDialects, type Dialect } from './dialects.js';
export { freePort } from './free-port.js';
export { createScratchDatabase, dropScratchDatabase, onTestServer, postgresApiEnv, TEST_DATABASE_URL, testDatabaseServer, type ScratchDatabase } from './scratch-database.js';
