import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Env, type Instruction } from 'dockerfile-ast';
import {
  argDeclaration,
  execForm,
  flagValue,
  heredocContents,
  parseDockerfile,
  runCommand,
  substitute,
  type ParsedDockerfile,
  type Stage,
} from './dockerfile.js';
import { dockerignoreRules } from './dockerignore-rules.js';

const run = promisify(execFile);

/** What a stage of the Dockerfile left behind: its filesystem and its image settings. */
export interface RehearsedImage {
  stage: string;
  /** The host folder standing for the image's `/`. */
  root: string;
  workdir: string;
  /** ENV as the image sets it, variables substituted. */
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
  healthcheck: string[] | undefined;
  exposedPorts: string[];
  /** RUN steps that change the operating system (apt-get, users, ownership) and were not run. */
  skippedRuns: string[];
}

export interface RehearsalOptions {
  dockerfile: string;
  /** The build context: a checkout, filtered by its .dockerignore. */
  context: string;
  /** An empty folder for the stages' filesystems and the log. */
  workDir: string;
  /** Added to the environment of every RUN step (e.g. npm's offline settings). */
  runEnv: Record<string, string>;
}

/** Where `imagePath` of the image is on this machine. */
export function hostPath(image: RehearsedImage, imagePath: string): string {
  return path.join(image.root, path.posix.resolve(image.workdir, imagePath));
}

/**
 * The image's environment for a process on this machine: PATH entries that exist in the image
 * (such as /app/node_modules/.bin) point into its folder, the rest (the base image's own tools,
 * node and npm) are this machine's.
 */
export function hostEnv(image: RehearsedImage): Record<string, string> {
  const env = { ...image.env };
  if (env.PATH !== undefined) {
    env.PATH = env.PATH.split(':')
      .map((entry) => (entry.startsWith('/') && existsSync(path.join(image.root, entry)) ? path.join(image.root, entry) : entry))
      .join(':');
  }
  return env;
}

/**
 * Builds Dockerfile stages without Docker: each stage is a folder, COPY copies from the filtered
 * context or an earlier stage's folder, and RUN runs the npm steps in the stage's WORKDIR with
 * this machine's Node.js and npm. The steps that only a real image can take (apt-get, users,
 * file ownership) are recorded, not run. Anything else the rehearsal does not know fails loudly.
 */
export class ImageRehearsal {
  readonly logFile: string;
  private readonly dockerfile: ParsedDockerfile;
  private readonly built = new Map<string, Promise<RehearsedImage>>();
  private ignores: ((relativePath: string) => boolean) | undefined;

  private constructor(
    private readonly options: RehearsalOptions,
    text: string,
  ) {
    this.dockerfile = parseDockerfile(text);
    this.logFile = path.join(options.workDir, 'rehearsal.log');
  }

  static async open(options: RehearsalOptions): Promise<ImageRehearsal> {
    return new ImageRehearsal(options, await readFile(options.dockerfile, 'utf8'));
  }

  build(stageName: string): Promise<RehearsedImage> {
    let image = this.built.get(stageName);
    if (image === undefined) {
      image = this.buildStage(this.stage(stageName));
      this.built.set(stageName, image);
    }
    return image;
  }

  private stage(name: string): Stage {
    const stage = this.dockerfile.stages.find((candidate) => candidate.name === name);
    if (stage === undefined) throw new Error(`${this.options.dockerfile} has no stage named ${name}`);
    return stage;
  }

  private async buildStage(stage: Stage): Promise<RehearsedImage> {
    const root = path.join(this.options.workDir, 'stages', stage.name);
    const parentStage = this.dockerfile.stages.find((candidate) => candidate.name === stage.from);
    let image: RehearsedImage;
    if (parentStage === undefined) {
      await mkdir(root, { recursive: true });
      image = { stage: stage.name, root, workdir: '/', env: {}, user: undefined, cmd: undefined, healthcheck: undefined, exposedPorts: [], skippedRuns: [] };
    } else {
      const parent = await this.build(parentStage.name);
      await mkdir(path.dirname(root), { recursive: true });
      await run('cp', ['-a', parent.root, root]);
      image = { ...parent, stage: stage.name, root, env: { ...parent.env }, exposedPorts: [...parent.exposedPorts], skippedRuns: [...parent.skippedRuns] };
    }
    const args: Record<string, string | undefined> = {};
    for (const instruction of stage.instructions) {
      await this.apply(image, args, instruction);
    }
    return image;
  }

  private async apply(image: RehearsedImage, args: Record<string, string | undefined>, instruction: Instruction): Promise<void> {
    const values = { PATH: machineBasics().PATH, ...args, ...image.env };
    const words = instruction.getArguments().map((argument) => argument.getValue());
    switch (instruction.getKeyword()) {
      case 'ARG': {
        const [name, value] = argDeclaration(instruction);
        args[name] = value ?? this.dockerfile.globalArgs[name];
        return;
      }
      case 'ENV':
        if (!(instruction instanceof Env)) throw new Error('ENV not parsed as ENV');
        for (const property of instruction.getProperties()) {
          image.env[property.getName()] = substitute(property.getValue() ?? '', values);
        }
        return;
      case 'WORKDIR':
        image.workdir = path.posix.resolve(image.workdir, substitute(words.join(' '), values));
        await mkdir(path.join(image.root, image.workdir), { recursive: true });
        return;
      case 'USER':
        image.user = words[0];
        return;
      case 'EXPOSE':
        image.exposedPorts.push(...words);
        return;
      case 'CMD':
        image.cmd = execForm(instruction);
        return;
      case 'HEALTHCHECK':
        image.healthcheck = execForm(instruction);
        return;
      case 'COPY':
        await this.copy(image, instruction, words);
        return;
      case 'RUN':
        await this.runStep(image, runCommand(instruction));
        return;
      default:
        throw new Error(`The rehearsal does not know ${instruction.getKeyword()} (line ${instruction.getRange().start.line + 1})`);
    }
  }

  private async copy(image: RehearsedImage, instruction: Instruction, words: string[]): Promise<void> {
    const heredocs = heredocContents(this.dockerfile.text, instruction);
    if (heredocs.length > 0) {
      const destination = hostPath(image, words[1] ?? '');
      await mkdir(path.dirname(destination), { recursive: true });
      await writeFile(destination, heredocs.join(''));
      return;
    }
    const destinationWord = words.at(-1);
    const sources = words.slice(0, -1);
    if (destinationWord === undefined || sources.length === 0) throw new Error(`COPY needs a source and a destination: ${instruction.toString()}`);
    const intoFolder = destinationWord.endsWith('/') || sources.length > 1;
    const destination = hostPath(image, destinationWord);
    const fromStage = flagValue(instruction, 'from');
    for (const source of sources) {
      if (/[*?[]/.test(source)) throw new Error(`The rehearsal copies no wildcards: ${source}`);
      if (fromStage !== undefined) {
        const from = await this.build(fromStage);
        await copyEntry(path.join(from.root, path.posix.resolve(from.workdir, source)), destination, intoFolder);
      } else {
        await this.copyFromContext(source, destination, intoFolder);
      }
    }
  }

  /** Docker's rules: a folder's contents go into the destination; a file goes into it when it ends with `/`. */
  private async copyFromContext(source: string, destination: string, intoFolder: boolean): Promise<void> {
    const ignores = await this.contextFilter();
    const sourcePath = path.join(this.options.context, source);
    if (!(await stat(sourcePath)).isDirectory()) {
      if (ignores(path.posix.normalize(source))) throw new Error(`COPY ${source}: excluded by .dockerignore`);
      const target = intoFolder ? path.join(destination, path.basename(source)) : destination;
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(sourcePath, target);
      return;
    }
    await mkdir(destination, { recursive: true });
    for (const relative of await listFiles(sourcePath)) {
      const contextPath = path.posix.join(path.posix.normalize(source), relative);
      if (ignores(contextPath)) continue;
      const target = path.join(destination, relative);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(sourcePath, relative), target);
    }
  }

  private async contextFilter(): Promise<(relativePath: string) => boolean> {
    if (this.ignores === undefined) {
      const ignoreFile = path.join(this.options.context, '.dockerignore');
      this.ignores = dockerignoreRules(existsSync(ignoreFile) ? await readFile(ignoreFile, 'utf8') : '');
    }
    return this.ignores;
  }

  private async runStep(image: RehearsedImage, command: string): Promise<void> {
    if (!command.startsWith('npm ')) {
      image.skippedRuns.push(command);
      return;
    }
    const cwd = path.join(image.root, image.workdir);
    await appendFile(this.logFile, `\n### ${image.stage}: ${command}\n`);
    try {
      const { stdout, stderr } = await run('sh', ['-c', command], {
        cwd,
        env: { ...machineBasics(), ...hostEnv(image), ...this.options.runEnv },
        maxBuffer: 64 * 1024 * 1024,
      });
      await appendFile(this.logFile, stdout + stderr);
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      await appendFile(this.logFile, stdout + stderr);
      throw new Error(`RUN ${command} failed in stage ${image.stage}:\n${(stdout + stderr).slice(-3000)}`, { cause: error });
    }
  }
}

/**
 * What a container would have from its base image, taken from this machine: the search path,
 * the home folder (npm's cache and settings) and the temporary folder. Nothing else leaks in
 * (NODE_ENV=test from the test runner would change what npm and Vite do).
 */
export function machineBasics(): Record<string, string> {
  const basics: Record<string, string> = {};
  for (const name of ['HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) basics[name] = value;
  }
  // Without the checkout's node_modules/.bin folders that npm adds for the test run.
  basics.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((entry) => !entry.endsWith(`${path.sep}node_modules${path.sep}.bin`))
    .join(':');
  return basics;
}

/** A file or a folder's contents, as COPY --from copies them (symbolic links kept as links). */
async function copyEntry(source: string, destination: string, intoFolder: boolean): Promise<void> {
  if ((await stat(source)).isDirectory()) {
    await mkdir(destination, { recursive: true });
    await cp(source, destination, { recursive: true, verbatimSymlinks: true });
    return;
  }
  const target = intoFolder ? path.join(destination, path.basename(source)) : destination;
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(source, target);
}

/**
 * Every file under `folder`, relative to it. Installed packages and git data are not walked:
 * .dockerignore keeps them out of the context (tests/containers/dockerignore.test.ts).
 */
async function listFiles(folder: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(folder, prefix), { withFileTypes: true })) {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') files.push(...(await listFiles(folder, relative)));
    } else if (entry.isFile()) {
      files.push(relative);
    }
  }
  return files;
}
