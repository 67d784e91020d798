import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** The checkout these tests belong to. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function repoPath(...segments: string[]): string {
  return path.join(repoRoot, ...segments);
}

export function readRepoFile(...segments: string[]): string {
  return readFileSync(repoPath(...segments), 'utf8');
}

/** A JSON-with-comments file (devcontainer.json, launch.json), refusing any syntax error. */
export function readRepoJsonc<T>(...segments: string[]): T {
  const errors: ParseError[] = [];
  const value = parseJsonc(readRepoFile(...segments), errors, { allowTrailingComma: false }) as T;
  if (errors.length > 0) {
    throw new Error(`${segments.join('/')}: ${errors.map((error) => `${printParseErrorCode(error.error)} at offset ${error.offset}`).join(', ')}`);
  }
  return value;
}

/**
 * Copies what a clone of this checkout would hold under `paths` (committed files, and new ones git
 * does not ignore) into `destination`, at the same relative places. Returns the files copied.
 */
export function copyCheckout(destination: string, ...paths: string[]): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...paths], { cwd: repoRoot, encoding: 'utf8' });
  const files = listed.split('\0').filter((file) => file !== '' && existsSync(repoPath(file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(destination, file)), { recursive: true });
    copyFileSync(repoPath(file), path.join(destination, file));
  }
  return files;
}

/**
 * Gives a copy of the checkout to the containers' user (node, uid 1000), as a learner's own clone
 * belongs to them: the development containers write into the mounted sources (the local photo store
 * under api/), which a copy owned by root would refuse.
 */
export function ownAsContainerUser(directory: string): void {
  execFileSync('chown', ['-R', '1000:1000', directory]);
}
