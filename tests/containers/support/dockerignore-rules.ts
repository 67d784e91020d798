import { createRequire } from 'node:module';

interface Rules {
  add(patterns: string): Rules;
  ignores(path: string): boolean;
}

// A CommonJS module whose typings declare an ES default export, which it does not have.
const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Rules;

/** Docker's .dockerignore matching: a folder's exclusion covers its contents, `!` re-includes. */
export function dockerignoreRules(text: string): (contextPath: string) => boolean {
  const rules = dockerignore().add(text);
  return (contextPath) => rules.ignores(contextPath);
}
