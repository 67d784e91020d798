import { parseArgs } from 'node:util';
import { runContract } from './run-contract.js';

const USAGE = `Usage: npm run contract -- --url <base URL> [--read-only]

Black-box checks of every endpoint of a Rock of Ages API (unique users per run, rocks deleted
afterwards, no database access). --read-only runs only the checks that create nothing.`;

try {
  const { values } = parseArgs({ options: { url: { type: 'string' }, 'read-only': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help || values.url === undefined) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
  } else {
    const { failed } = await runContract({ baseUrl: values.url, readOnly: values['read-only'] });
    process.exitCode = failed === 0 ? 0 : 1;
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
