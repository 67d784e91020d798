import { fileURLToPath } from 'node:url';

export const clientDir = fileURLToPath(new URL('../../', import.meta.url));
/** Git-ignored output of the browser tests and the benchmark. */
export const testResultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
