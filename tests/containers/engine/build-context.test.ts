import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { docker } from '../support/docker.js';
import { describeOnEngine } from '../support/engine-suite.js';
import { copyCheckout } from '../support/repository.js';

/** Files a developer's checkout has that no image may receive: packages, build output, databases, secrets, git. */
const LOCAL_FILES = [
  'node_modules/fastify/package.json',
  'api/node_modules/some-package/index.js',
  'client/node_modules/.vite/deps/react.js',
  'api/dist/server.js',
  'client/dist/index.html',
  'contract/dist/index.js',
  'api/db.sqlite3',
  'api/db.sqlite3-wal',
  'api/.env',
  'api/.env.local',
  'client/.env.local',
  '.env',
  '.git/HEAD',
];

function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(path.join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(prefix, entry.name);
    return entry.isDirectory() ? filesUnder(folder, relative) : [relative];
  });
}

describeOnEngine('the build context Docker sends from the repository root, through .dockerignore', () => {
  const checkout = mkdtempSync(path.join(os.tmpdir(), 'build-context-'));
  const sent = path.join(checkout, '..', `${path.basename(checkout)}-sent`);
  let committed: string[];

  beforeAll(async () => {
    committed = copyCheckout(checkout, '.');
    for (const file of LOCAL_FILES) {
      mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
      writeFileSync(path.join(checkout, file), 'local only\n');
    }
    // An image of the whole context, exported to a folder: exactly the files Docker received.
    await docker(['build', '--file', '-', '--output', `type=local,dest=${sent}`, checkout], { input: 'FROM scratch\nCOPY . /\n' });
  });

  afterAll(() => {
    rmSync(checkout, { recursive: true, force: true });
    rmSync(sent, { recursive: true, force: true });
  });

  test('holds the root manifests, the test kit\'s manifest and every file of api/, client/ and contract/ but their env files, and nothing else', () => {
    const expected = committed.filter(
      (file) =>
        (['package.json', 'package-lock.json', 'tsconfig.base.json', 'test-kit/package.json'].includes(file) || /^(api|client|contract)\//.test(file)) &&
        !/^\.env(\.|$)/.test(path.basename(file)),
    );
    expect(expected).toEqual(expect.arrayContaining(['package-lock.json', 'api/src/server.ts', 'client/nginx.conf', 'client/index.html', 'contract/src/index.ts', 'test-kit/package.json']));
    expect(filesUnder(sent).sort()).toEqual(expected.sort());
  });

  test('keeps out installed packages, build output, local databases, env files and git', () => {
    const received = new Set(filesUnder(sent));
    expect(LOCAL_FILES.filter((file) => received.has(file))).toEqual([]);
  });
});
