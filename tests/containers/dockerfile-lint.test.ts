import { validate } from 'dockerfile-utils';
import { describe, expect, test } from 'vitest';
import { readRepoFile } from './support/repository.js';

const dockerfiles = ['api/Dockerfile', 'client/Dockerfile'];

function lint(text: string): string[] {
  return validate(text).map((problem) => `line ${problem.range.start.line + 1}: ${problem.message}`);
}

describe('Dockerfile lint (dockerfile-utils, the validator behind VS Code’s Dockerfile support)', () => {
  test.each(dockerfiles)('%s has no errors and no warnings', (file) => {
    expect(lint(readRepoFile(file))).toEqual([]);
  });

  test('reports a broken instruction, so the checks above can fail', () => {
    const broken = readRepoFile('api/Dockerfile').replace('HEALTHCHECK --interval', 'HEALTHCHECK --intervl');
    expect(lint(broken)).toEqual([expect.stringContaining('Unknown flag: intervl')]);
  });
});

// A `# syntax=` line makes BuildKit pull its frontend from a registry, and here-documents need one:
// without either, Docker Engine 20.10 and later build the files with the frontend they ship.
describe.each(dockerfiles)('%s builds with the Dockerfile frontend built into Docker Engine', (file) => {
  const text = readRepoFile(file);

  test('names no frontend image to pull (no `# syntax=` directive)', () => {
    expect(text).not.toMatch(/^#\s*syntax\s*=/im);
  });

  test('writes no file from a here-document (`COPY <<EOF`, `RUN <<EOF`)', () => {
    expect(text).not.toMatch(/^\s*(COPY|ADD|RUN)\b[^\n]*<<-?\s*['"]?\w+/im);
  });
});
