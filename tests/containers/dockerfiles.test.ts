import { validate } from 'dockerfile-utils';
import { describe, expect, test } from 'vitest';
import { execForm, findStage, flagValue, instructionsOf, parseDockerfile, runCommand, type ParsedDockerfile, type Stage } from './support/dockerfile.js';
import { readRepoFile } from './support/repository.js';

const dockerfilePaths = ['api/Dockerfile', 'client/Dockerfile'];
const apiDockerfile = parseDockerfile(readRepoFile('api/Dockerfile'));
const clientDockerfile = parseDockerfile(readRepoFile('client/Dockerfile'));

function lint(text: string): string[] {
  return validate(text).map((problem) => `line ${problem.range.start.line + 1}: ${problem.message}`);
}

/** A stage and the stages it is built FROM, nearest first. */
function lineage(dockerfile: ParsedDockerfile, name: string): Stage[] {
  const stage = findStage(dockerfile, name);
  const parent = dockerfile.stages.find((candidate) => candidate.name === stage.from);
  return parent === undefined ? [stage] : [stage, ...lineage(dockerfile, parent.name)];
}

function lastArguments(stage: Stage, keyword: string): string | undefined {
  return instructionsOf(stage, keyword).at(-1)?.getArgumentsContent() ?? undefined;
}

/** `COPY --from=stage a b` as `stage: a b`, for the COPY instructions that take from other stages. */
function copiesFromStages(stage: Stage): string[] {
  return instructionsOf(stage, 'COPY').flatMap((copy) => {
    const from = flagValue(copy, 'from');
    return from === undefined ? [] : [`${from}: ${copy.getArguments().map((argument) => argument.getValue()).join(' ')}`];
  });
}

function runCommands(dockerfile: ParsedDockerfile, stageName: string): string[] {
  return lineage(dockerfile, stageName).flatMap((stage) => instructionsOf(stage, 'RUN').map(runCommand));
}

describe('Dockerfile lint (dockerfile-utils, the validator behind VS Code’s Dockerfile support)', () => {
  test.each(dockerfilePaths)('%s has no errors and no warnings', (file) => {
    expect(lint(readRepoFile(file))).toEqual([]);
  });

  test('reports a broken instruction, so the checks above can fail', () => {
    const broken = readRepoFile('api/Dockerfile').replace('HEALTHCHECK --interval', 'HEALTHCHECK --intervl');
    expect(lint(broken)).toEqual([expect.stringContaining('Unknown flag: intervl')]);
  });
});

describe('api/Dockerfile', () => {
  const production = apiDockerfile.stages.at(-1);

  test('builds the production stage by default, on an official Node.js LTS image', () => {
    expect(production?.name).toBe('production');
    const base = lineage(apiDockerfile, 'production').at(-1)?.from ?? '';
    const [, major] = /^node:(\d+)-[a-z]+-slim$/.exec(base) ?? [];
    // Even majors are the LTS lines; 24 is the active one, 22 in maintenance.
    expect(Number(major) % 2).toBe(0);
    expect(Number(major)).toBeGreaterThanOrEqual(22);
  });

  test('installs dependencies, compiles and keeps only production packages in separate stages', () => {
    expect(apiDockerfile.stages.map((stage) => stage.name)).toEqual([
      'base',
      'toolchain',
      'dependencies',
      'production-dependencies',
      'build',
      'development',
      'production',
    ]);
    expect(runCommands(apiDockerfile, 'production-dependencies')).toContainEqual(expect.stringMatching(/^npm ci --workspace api .*--omit=dev/));
    expect(runCommands(apiDockerfile, 'build')).toContain('npm run build --workspace api');
    expect(copiesFromStages(findStage(apiDockerfile, 'production'))).toEqual([
      'production-dependencies: /app/node_modules node_modules',
      'production-dependencies: /app/api/node_modules api/node_modules',
      'build: /app/api/dist api/dist',
    ]);
  });

  test('keeps a compiler where packages are installed, for better-sqlite3 when no prebuilt binary fits', () => {
    for (const stage of ['dependencies', 'production-dependencies']) {
      expect(runCommands(apiDockerfile, stage)).toContainEqual(expect.stringMatching(/apt-get install .*python3 make g\+\+/));
    }
    expect(runCommands(apiDockerfile, 'production').join('\n')).not.toMatch(/apt-get/);
  });

  test('runs as the unprivileged node user, exposes 8000 and starts node itself, in exec form', () => {
    const stage = findStage(apiDockerfile, 'production');
    expect(lastArguments(stage, 'USER')).toBe('node');
    expect(lastArguments(stage, 'EXPOSE')).toBe('8000');
    expect(lastArguments(stage, 'WORKDIR')).toBe('/app/api');
    const cmd = instructionsOf(stage, 'CMD').at(-1);
    expect(cmd && execForm(cmd)).toEqual(['node', 'dist/server.js']);
  });

  test('checks its health on GET /health with the Node.js it already has', () => {
    const healthcheck = instructionsOf(findStage(apiDockerfile, 'production'), 'HEALTHCHECK').at(-1);
    const command = healthcheck && execForm(healthcheck);
    expect(command?.slice(0, 2)).toEqual(['node', '-e']);
    expect(command?.[2]).toContain("/health'");
  });

  test('offers a development stage that runs the TypeScript sources in watch mode', () => {
    const stage = findStage(apiDockerfile, 'development');
    expect(lastArguments(stage, 'USER') ?? lastArguments(findStage(apiDockerfile, 'toolchain'), 'USER')).toBe('node');
    const cmd = instructionsOf(stage, 'CMD').at(-1);
    expect(cmd && execForm(cmd)).toEqual(['tsx', 'watch', 'src/server.ts']);
  });
});

describe('client/Dockerfile', () => {
  test('builds the Vite development server by default, listening on 0.0.0.0:3000 as node', () => {
    const development = clientDockerfile.stages.at(-1);
    expect(development?.name).toBe('development');
    const cmd = development && instructionsOf(development, 'CMD').at(-1);
    expect(cmd && execForm(cmd)).toEqual(['vite', '--host', '0.0.0.0', '--port', '3000']);
    expect(lineage(clientDockerfile, 'development').map((stage) => lastArguments(stage, 'USER')).find(Boolean)).toBe('node');
  });

  test('has a production stage serving the built files with nginx', () => {
    const production = findStage(clientDockerfile, 'production');
    expect(production.from).toMatch(/^nginx:/);
    expect(runCommands(clientDockerfile, 'build')).toContain('npm run build --workspace client');
    expect(copiesFromStages(production)).toEqual(['build: /app/client/dist /usr/share/nginx/html']);
  });
});
