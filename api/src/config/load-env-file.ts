import { existsSync } from 'node:fs';

/** Loads `.env` from the working directory when there is one; variables already set win. */
export function loadEnvFile(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
