import { Copy, DockerfileParser, ModifiableInstruction, type Instruction } from 'dockerfile-ast';

export interface Stage {
  name: string;
  /** The FROM image with the global ARG defaults filled in, or an earlier stage's name. */
  from: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  text: string;
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/** `${NAME}` and `$NAME` replaced from `values`; unknown names are left as they are. */
export function substitute(text: string, values: Record<string, string | undefined>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = values[braced ?? bare ?? ''];
    return value ?? whole;
  });
}

export function argDeclaration(instruction: Instruction): [name: string, value: string | undefined] {
  const [name, ...value] = instruction.getArgumentsContent()?.split('=') ?? [];
  if (name === undefined) throw new Error(`ARG without a name on line ${instruction.getRange().start.line + 1}`);
  return [name, value.length === 0 ? undefined : value.join('=')];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const current = stages.at(-1);
    if (keyword === 'FROM') {
      const [image, as, name] = instruction.getArguments().map((argument) => argument.getValue());
      if (image === undefined) throw new Error('FROM without an image');
      stages.push({
        name: as?.toUpperCase() === 'AS' && name !== undefined ? name : String(stages.length),
        from: substitute(image, globalArgs),
        instructions: [],
      });
    } else if (current === undefined) {
      if (keyword !== 'ARG') throw new Error(`${keyword} before the first FROM`);
      const [name, value] = argDeclaration(instruction);
      if (value !== undefined) globalArgs[name] = value;
    } else {
      current.instructions.push(instruction);
    }
  }
  return { text, globalArgs, stages };
}

export function findStage(dockerfile: ParsedDockerfile, name: string): Stage {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (stage === undefined) throw new Error(`No stage named ${name}`);
  return stage;
}

export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

/** The JSON array of an exec-form CMD or HEALTHCHECK CMD, or undefined for the shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  const raw = (instruction.getRawArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ');
  const json = instruction.getKeyword() === 'HEALTHCHECK' ? raw.slice(raw.search(/\bCMD\b/) + 3) : raw;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) && parsed.every((word) => typeof word === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The shell command of a RUN, without its flags (`--mount=...`). */
export function runCommand(instruction: Instruction): string {
  return instruction
    .getArguments()
    .map((argument) => argument.getValue())
    .join(' ');
}

export function flagValue(instruction: Instruction, name: string): string | undefined {
  if (!(instruction instanceof ModifiableInstruction)) return undefined;
  return instruction.getFlags().find((flag) => flag.getName() === name)?.getValue() ?? undefined;
}

/** The files a COPY writes from here-documents (`COPY <<EOF /path`), in order. */
export function heredocContents(dockerfileText: string, instruction: Instruction): string[] {
  if (!(instruction instanceof Copy)) return [];
  const lines = dockerfileText.split('\n');
  return instruction.getHeredocs().map((heredoc) => {
    const range = heredoc.getContentRange();
    if (range === null) return '';
    const content = lines.slice(range.start.line, range.end.line + 1);
    content[content.length - 1] = (content.at(-1) ?? '').slice(0, range.end.character);
    content[0] = (content[0] ?? '').slice(range.start.character);
    return `${content.join('\n')}\n`;
  });
}
