import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCompose, service } from './support/compose.js';
import { devContainerConfig, launchConfiguration } from './support/dev-container-config.js';
import { repoPath } from './support/repository.js';

const devContainer = devContainerConfig();
const composeFiles = devContainer.dockerComposeFile.map((file) => path.posix.join('.devcontainer', file));
const [baseCompose, extraCompose] = composeFiles.map((file) => loadCompose(file));
// Where docker-compose.yml mounts api/: the development image's working folder (checked on the engine).
const apiWorkdir = baseCompose && service(baseCompose, 'api').volumes?.find((volume) => volume.startsWith('./api:'))?.slice('./api:'.length);

/** What the repository's root folder (`.`, relative to the first compose file) is mounted on. */
function repositoryMountTarget(): string | undefined {
  const volumes = extraCompose ? service(extraCompose, devContainer.service).volumes ?? [] : [];
  return volumes.find((volume) => volume.startsWith('.:'))?.slice(2);
}

describe('.devcontainer/devcontainer.json', () => {
  test("opens the API's compose service, on top of the root docker-compose.yml", () => {
    expect(composeFiles[0]).toBe('docker-compose.yml');
    expect(composeFiles.every((file) => existsSync(repoPath(file)))).toBe(true);
    expect(devContainer.service).toBe('api');
    expect(baseCompose && service(baseCompose, 'api').build?.target).toBe('development');
    expect(devContainer.runServices).toEqual(['api']);
  });

  test('mounts the whole repository as the workspace folder, keeping the image’s root node_modules', () => {
    expect(repositoryMountTarget()).toBe(devContainer.workspaceFolder);
    expect(extraCompose && service(extraCompose, 'api').volumes).toContain(`${devContainer.workspaceFolder}/node_modules`);
    // The API inside that workspace is where the image runs it from.
    expect(path.posix.join(devContainer.workspaceFolder, 'api')).toBe(apiWorkdir);
  });

  test('idles instead of serving, so that the debugger starts the server, as the image’s own user', () => {
    expect(devContainer.overrideCommand).toBe(true);
    expect(devContainer.remoteUser).toBe('node');
  });
});

describe('.vscode/launch.json', () => {
  test('"API: debug" runs api/src/server.ts through tsx from the api folder', () => {
    const launch = launchConfiguration('API: debug');
    expect(launch).toMatchObject({ type: 'node', request: 'launch', runtimeArgs: ['--import', 'tsx'] });
    expect(launch.program).toBe('${workspaceFolder}/api/src/server.ts');
    expect(launch.cwd).toBe('${workspaceFolder}/api');
    expect(existsSync(repoPath('api/src/server.ts'))).toBe(true);
  });

  test('"API: attach to port 9229" maps the container’s api folder to the workspace’s', () => {
    const attach = launchConfiguration('API: attach to port 9229');
    expect(attach).toMatchObject({ type: 'node', request: 'attach', port: 9229, localRoot: '${workspaceFolder}/api', remoteRoot: apiWorkdir });
  });
});
