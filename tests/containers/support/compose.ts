import { existsSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { readRepoFile, repoPath } from './repository.js';

export interface EnvFileEntry {
  path: string;
  required?: boolean;
}

export interface ComposeService {
  image?: string;
  pull_policy?: string;
  build?: { context: string; dockerfile: string; target?: string };
  container_name?: string;
  command?: string[];
  env_file?: (string | EnvFileEntry)[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number; start_period?: string };
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { name?: string; external?: boolean }>;
}

/**
 * Compose's variable substitution for the forms the files use, `${NAME}` and `${NAME:-default}`
 * (the default when NAME is unset or empty); any other form is refused rather than misread.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/.exec(expression);
    if (match === null) throw new Error(`unsupported substitution ${whole}`);
    const [, name = '', fallback] = match;
    const value = env[name];
    return value === undefined || (value === '' && fallback !== undefined) ? (fallback ?? '') : value;
  });
}

/** A compose file as Compose reads it with the environment `env` (none set by default). */
export function loadCompose(file: string, env: Record<string, string | undefined> = {}): ComposeFile {
  return parse(interpolate(readRepoFile(file), env)) as ComposeFile;
}

/** The image a service runs: its `image`, else the one Compose builds, named `<project>-<service>`. */
export function imageName(compose: ComposeFile, name: string): string {
  return service(compose, name).image ?? `${compose.name}-${name}`;
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

export function envFiles(service: ComposeService): EnvFileEntry[] {
  return (service.env_file ?? []).map((entry) => (typeof entry === 'string' ? { path: entry } : entry));
}

/**
 * The environment Compose gives a service in a fresh clone: its required env files in order
 * (later ones win), then `environment`. Optional files (a developer's own .env.local) are left
 * out, so the result does not depend on this checkout's untracked files.
 */
export function freshCloneEnvironment(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of envFiles(service)) {
    if (file.required === false) continue;
    if (!existsSync(repoPath(file.path))) throw new Error(`Compose requires ${file.path}, which is not in the repository`);
    Object.assign(env, parseEnv(readRepoFile(file.path)));
  }
  return { ...env, ...service.environment };
}
