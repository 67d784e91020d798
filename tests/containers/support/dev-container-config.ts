import { readRepoJsonc } from './repository.js';

export interface DevContainerConfig {
  dockerComposeFile: string[];
  service: string;
  runServices?: string[];
  workspaceFolder: string;
  overrideCommand?: boolean;
  remoteUser?: string;
}

export interface LaunchConfiguration {
  name: string;
  type: string;
  request: 'launch' | 'attach';
  cwd?: string;
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  program?: string;
  port?: number;
  localRoot?: string;
  remoteRoot?: string;
}

export function devContainerConfig(): DevContainerConfig {
  return readRepoJsonc<DevContainerConfig>('.devcontainer', 'devcontainer.json');
}

export function launchConfiguration(name: string): LaunchConfiguration {
  const { configurations } = readRepoJsonc<{ configurations: LaunchConfiguration[] }>('.vscode', 'launch.json');
  const found = configurations.find((configuration) => configuration.name === name);
  if (found === undefined) throw new Error(`.vscode/launch.json has no configuration "${name}"`);
  return found;
}

/** A launch.json value with `${workspaceFolder}` as the dev container has it. */
export function inDevContainer(value: string): string {
  return value.replaceAll('${workspaceFolder}', devContainerConfig().workspaceFolder);
}
