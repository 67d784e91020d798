import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freshCloneEnvironment, loadCompose, service } from '../support/compose.js';
import { devContainerConfig, inDevContainer, launchConfiguration } from '../support/dev-container-config.js';
import { DockerScope, ensureBaseImages } from '../support/docker.js';
import { describeOnEngine } from '../support/engine-suite.js';
import { buildProjectImage, projectImages, testTag } from '../support/images.js';
import { InspectorSession } from '../support/inspector-session.js';
import { copyCheckout, ownAsContainerUser } from '../support/repository.js';

const devContainer = devContainerConfig();
const [baseCompose, extraCompose] = devContainer.dockerComposeFile.map((file) => loadCompose(path.posix.join('.devcontainer', file)));

/** The service's volumes from every compose file of devcontainer.json, `.` being the checkout's copy. */
function devContainerVolumes(checkout: string): string[] {
  return [baseCompose, extraCompose].flatMap((compose) =>
    (compose === undefined ? [] : (service(compose, devContainer.service).volumes ?? [])).map((volume) =>
      volume.startsWith('.') ? `${path.join(checkout, volume.slice(0, volume.indexOf(':')))}${volume.slice(volume.indexOf(':'))}` : volume,
    ),
  );
}

/** Polls the inspector's target list until the process announces its debugger. */
async function debuggerUrl(port: number, output: () => string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(5_000) })).json()) as { webSocketDebuggerUrl: string }[];
      if (target !== undefined) return target.webSocketDebuggerUrl;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no debugger on port ${port}:\n${output()}`);
    await sleep(250);
  }
}

describeOnEngine('the API in its dev container (devcontainer.json on docker-compose.yml), under the debugger', () => {
  const scope = new DockerScope('dev-container');
  const checkout = mkdtempSync(path.join(os.tmpdir(), 'dev-container-'));
  let session: InspectorSession | undefined;

  beforeAll(async () => {
    copyCheckout(checkout, '.');
    ownAsContainerUser(checkout);
    await ensureBaseImages();
    await buildProjectImage(projectImages.apiDevelopment);
  });

  afterAll(async () => {
    session?.close();
    await scope.cleanUp();
    rmSync(checkout, { recursive: true, force: true });
  });

  test('"API: debug" starts the server under the debugger, and a breakpoint on a TypeScript line stops there', async () => {
    const network = await scope.network();
    const database = service(loadCompose('docker-compose.yml'), 'postgres-db');
    await scope.run({ image: database.image ?? '', network, networkAlias: 'postgres-db', env: database.environment });
    // overrideCommand: the container idles, and the editor starts the server through the debugger.
    expect(devContainer.overrideCommand).toBe(true);
    const container = await scope.run({
      image: testTag(projectImages.apiDevelopment),
      network,
      env: freshCloneEnvironment(service(loadCompose('docker-compose.yml'), devContainer.service)),
      volumes: devContainerVolumes(checkout),
      publish: [8000, 9229],
      command: ['sleep', 'infinity'],
    });

    // The launch configuration's command line, with the debugger's own way in.
    const launch = launchConfiguration('API: debug');
    const command = [launch.runtimeExecutable ?? 'node', '--inspect=0.0.0.0:9229', ...(launch.runtimeArgs ?? []), inDevContainer(launch.program ?? '')];
    const server = container.execInBackground(command, { user: devContainer.remoteUser, workdir: inDevContainer(launch.cwd ?? '') });
    const inspectorPort = await container.port(9229);
    // The inspector names itself by the address it was asked on; the published port reaches it.
    session = await InspectorSession.connect((await debuggerUrl(inspectorPort, server.output)).replace(/^ws:\/\/[^/]+/, `ws://127.0.0.1:${inspectorPort}`));

    const source = 'src/routes/health/index.ts';
    const script = await session.script(`/api/${source}`, 120_000);
    const anchor = "return { status: 'ok'";
    const line = readFileSync(path.join(checkout, 'api', source), 'utf8').split('\n').findIndex((text) => text.includes(anchor)) + 1;
    if (line === 0) throw new Error(`${source} no longer has the line "${anchor}" this test stops on`);
    await session.setBreakpoint(script, line);

    const baseUrl = `http://127.0.0.1:${await container.port(8000)}`;
    const deadline = Date.now() + 120_000;
    while ((await fetch(`${baseUrl}/types`, { signal: AbortSignal.timeout(5_000) }).then((answer) => answer.status, () => 0)) !== 401) {
      if (Date.now() > deadline) throw new Error(`the API did not start under the debugger:\n${server.output()}`);
      await sleep(500);
    }
    const health = fetch(`${baseUrl}/health`);
    expect(await session.pausedAt(script)).toEqual({ source: expect.stringMatching(new RegExp(`/api/${source}$`)), line });
    await session.resume();
    expect((await health).status).toBe(200);
  });
});
