import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { SqliteConfig } from '../../config/config.js';
import { openReadOnlySqlite, type DatabaseHandle } from '../../db/database.js';
import { TROUBLESHOOTING_PAGE } from '../known-errors.js';
import { step, type StepResult } from '../step-result.js';

const writable = (target: string) => {
  try {
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** The file step of SQLite: the file exists, is a database, and the server may write to it. Opens it read-only. */
export function checkSqliteFile(config: SqliteConfig): { result: StepResult; handle?: DatabaseHandle } {
  let size: number;
  try {
    size = statSync(config.path).size;
  } catch {
    return {
      result: step('file', 'fail', `${config.path} does not exist`, [], {
        error: 'unable to open database file',
        cause: 'no database file at SQLITE_PATH yet',
        fix: 'start the API once (npm start) or run npm run db:setup -w api: either creates, migrates and seeds it; or point SQLITE_PATH at your file (relative to api/)',
        see: `${TROUBLESHOOTING_PAGE}#unable-to-open-database-file`,
      }),
    };
  }
  let handle: DatabaseHandle;
  try {
    handle = openReadOnlySqlite(config.path);
  } catch (error) {
    return {
      result: step('file', 'fail', `${config.path} is not an SQLite database`, [], {
        error: (error as Error).message,
        cause: 'the file exists but is not a database (or is damaged)',
        fix: 'point SQLITE_PATH at the database file, or move this file away and let the API create a new one',
        see: `${TROUBLESHOOTING_PAGE}#file-is-not-a-database`,
      }),
    };
  }
  const summary = `${config.path} (${(size / 1024).toFixed(0)} KiB) is an SQLite database`;
  // The server writes the file and, in WAL mode, two files next to it.
  if (!writable(config.path) || !writable(path.dirname(config.path))) {
    return {
      handle,
      result: step('file', 'fail', `${summary}, but it cannot be written`, [], {
        cause: 'the file or its folder is read-only for this user',
        fix: 'give this user write access to the file and its folder (in a container: a volume the image\'s user owns)',
      }),
    };
  }
  return { handle, result: step('file', 'ok', summary) };
}
