import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { flagValue, heredocContents, instructionsOf, parseDockerfile } from './support/dockerfile.js';
import { dockerignoreRules } from './support/dockerignore-rules.js';
import { readRepoFile, repoRoot } from './support/repository.js';

const run = promisify(execFile);
const excluded = dockerignoreRules(readRepoFile('.dockerignore'));

/** The context paths the two Dockerfiles COPY (not from other stages, not here-documents). */
function contextSources(): string[] {
  return ['api/Dockerfile', 'client/Dockerfile'].flatMap((file) => {
    const dockerfile = parseDockerfile(readRepoFile(file));
    return dockerfile.stages.flatMap((stage) =>
      instructionsOf(stage, 'COPY')
        .filter((copy) => flagValue(copy, 'from') === undefined && heredocContents(dockerfile.text, copy).length === 0)
        .flatMap((copy) => copy.getArguments().map((argument) => argument.getValue()).slice(0, -1)),
    );
  });
}

/** Files a clone of this checkout would have under `pathspec` (committed, or new and not ignored). */
async function trackedFiles(pathspec: string): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', pathspec], { cwd: repoRoot });
  return stdout.split('\n').filter((line) => line !== '');
}

describe('.dockerignore (the build context is the repository root)', () => {
  test.each([
    'node_modules/fastify/package.json',
    'api/node_modules/some-package/index.js',
    'client/node_modules/.vite/deps/react.js',
    'api/dist/server.js',
    'client/dist/index.html',
    'api/db.sqlite3',
    'api/db.sqlite3-wal',
    'api/.env',
    'api/.env.local',
    'api/.env.local.example',
    'client/.env.local',
    '.env',
    '.git/HEAD',
    'tests/containers/compose.test.ts',
    'docker-compose.yml',
  ])('keeps %s out', (contextPath) => {
    expect(excluded(contextPath)).toBe(true);
  });

  test('lets in every path the Dockerfiles copy from the context, with the files a clone has there', async () => {
    const sources = [...new Set(contextSources())];
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.base.json', 'api/src', 'client']));
    for (const source of sources) {
      expect(excluded(source), source).toBe(false);
      const tracked = await trackedFiles(source);
      const sent = tracked.filter((file) => !excluded(file));
      expect(sent.length, `${source} sends files`).toBeGreaterThan(0);
    }
  });
});
