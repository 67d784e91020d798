import { beforeAll, expect, test } from 'vitest';
import { loadCompose, service } from '../support/compose.js';
import { ensureBaseImages, imageHistory, inspectImage } from '../support/docker.js';
import { describeOnEngine } from '../support/engine-suite.js';
import { buildProjectImage, projectImages, testTag, type ImageSpec } from '../support/images.js';

const compose = loadCompose('docker-compose.yml');
const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(0)} MB`;

describeOnEngine('every image and target, built by Docker from the unmodified Dockerfiles', () => {
  beforeAll(async () => {
    console.log(await ensureBaseImages());
  });

  // Sizes and times are printed for the record; the machine is shared, so nothing asserts on them.
  const builds = Object.values(projectImages).map((spec: ImageSpec) => [`${spec.name} (${spec.dockerfile}, ${spec.target ?? 'default target'})`, spec] as const);

  test.each(builds)('%s builds', async (_, spec) => {
    const result = await buildProjectImage(spec);
    const image = await inspectImage(result.tag);
    const layers = (await imageHistory(result.tag)).map((layer) => `  ${layer.size.padStart(8)}  ${layer.createdBy.slice(0, 110)}`);
    console.log(`${result.tag}: built in ${result.seconds} s${result.cached ? ' (every step cached)' : ''}, ${megabytes(image.Size)}\n${layers.join('\n')}`);
    expect(image.Id).toMatch(/^sha256:/);
  });

  test('the API production image runs `node dist/server.js` in /app/api as node, exposes 8000 and checks GET /health', async () => {
    const { Config } = await inspectImage(testTag(projectImages.apiProduction));
    expect(Config).toMatchObject({ User: 'node', WorkingDir: '/app/api', Cmd: ['node', 'dist/server.js'], ExposedPorts: { '8000/tcp': {} } });
    expect(Config.Env).toEqual(expect.arrayContaining(['NODE_ENV=production', 'SQLITE_PATH=/app/data/db.sqlite3']));
    expect(Config.Healthcheck?.Test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(Config.Healthcheck?.Test[3]).toContain('/health');
  });

  test("the development images run, as node, what docker-compose.yml runs, in the folders it mounts the sources on", async () => {
    for (const [name, spec, port] of [
      ['api', projectImages.apiDevelopment, 8000],
      ['client', projectImages.clientDevelopment, 3000],
    ] as const) {
      const { Config } = await inspectImage(testTag(spec));
      const composed = service(compose, name);
      expect(composed.build).toMatchObject({ dockerfile: spec.dockerfile, target: spec.target });
      expect(Config.User).toBe('node');
      expect(composed.command).toEqual(Config.Cmd);
      expect(Object.keys(Config.ExposedPorts ?? {})).toContain(`${port}/tcp`);
      // The sources and the contract's over the image's, and an anonymous volume keeping the image's packages.
      expect(composed.volumes).toEqual([`./${name}:${Config.WorkingDir}`, './contract:/app/contract', `${Config.WorkingDir}/node_modules`]);
    }
  });

  test('the PostgreSQL image keeps its data in a volume, where docker-compose.yml mounts postgres_data', async () => {
    const database = service(compose, 'postgres-db');
    const { Config } = await inspectImage(database.image ?? '');
    const target = database.volumes?.[0]?.split(':')[1] ?? '';
    expect(Object.keys(Config.Volumes ?? {})).toEqual([target]);
    expect(Config.Healthcheck).toBeUndefined();
    expect(database.healthcheck?.test[1]).toBe('pg_isready');
  });

  test('the client production image serves on port 80 with nginx', async () => {
    const { Config } = await inspectImage(testTag(projectImages.clientProduction));
    expect(Config).toMatchObject({ Cmd: ['nginx', '-g', 'daemon off;'], ExposedPorts: { '80/tcp': {} }, StopSignal: 'SIGQUIT' });
  });
});
