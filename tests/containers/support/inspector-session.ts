import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { eachMapping, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import WebSocket from 'ws';

interface ScriptParsed {
  scriptId: string;
  url: string;
  sourceMapURL?: string;
}

interface Paused {
  callFrames: { location: { scriptId: string; lineNumber: number; columnNumber: number } }[];
}

export interface SourceLocation {
  source: string;
  /** 1-based, as editors count. */
  line: number;
}

/**
 * A Chrome DevTools Protocol client doing what an editor's debugger does with a Node.js
 * process: read the source maps the scripts announce, and set and hit breakpoints by
 * original (TypeScript) line.
 */
export class InspectorSession {
  private nextId = 1;
  private readonly replies = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  private readonly scripts: ScriptParsed[] = [];
  private readonly pauses: Paused[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
      if (message.id !== undefined) this.replies.get(message.id)?.(message);
      else if (message.method === 'Debugger.scriptParsed') this.scripts.push(message.params as ScriptParsed);
      else if (message.method === 'Debugger.paused') this.pauses.push(message.params as Paused);
    });
  }

  static async connect(webSocketUrl: string): Promise<InspectorSession> {
    const socket = new WebSocket(webSocketUrl);
    await once(socket, 'open');
    const session = new InspectorSession(socket);
    await session.send('Debugger.enable');
    return session;
  }

  send(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (message) => (message.error === undefined ? resolve(message.result) : reject(new Error(`${method}: ${message.error.message}`))));
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The loaded script whose URL ends with `suffix`, and its source map. */
  async script(suffix: string, timeoutMs = 30_000): Promise<{ scriptId: string; map: TraceMap }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const script = this.scripts.find((candidate) => candidate.url.endsWith(suffix));
      if (script !== undefined) {
        if (script.sourceMapURL === undefined || script.sourceMapURL === '') throw new Error(`${script.url} announces no source map`);
        return { scriptId: script.scriptId, map: new TraceMap(readDataUrl(script.sourceMapURL), script.url) };
      }
      if (Date.now() > deadline) throw new Error(`no script ${suffix} was loaded`);
      await sleep(100);
    }
  }

  /** A breakpoint on the first generated code of an original line, as editors place them. */
  async setBreakpoint(script: { scriptId: string; map: TraceMap }, line: number): Promise<void> {
    let generated: { line: number; column: number } | undefined;
    eachMapping(script.map, (mapping) => {
      if (generated === undefined && mapping.originalLine === line) generated = { line: mapping.generatedLine, column: mapping.generatedColumn };
    });
    if (generated === undefined) throw new Error(`line ${line} has no code in the source map`);
    await this.send('Debugger.setBreakpoint', { location: { scriptId: script.scriptId, lineNumber: generated.line - 1, columnNumber: generated.column } });
  }

  /** Where the program stopped, mapped back to the original source. */
  async pausedAt(script: { scriptId: string; map: TraceMap }, timeoutMs = 30_000): Promise<SourceLocation> {
    const deadline = Date.now() + timeoutMs;
    while (this.pauses.length === 0) {
      if (Date.now() > deadline) throw new Error('the program did not pause');
      await sleep(50);
    }
    const location = this.pauses[0]?.callFrames[0]?.location;
    if (location === undefined || location.scriptId !== script.scriptId) throw new Error(`paused elsewhere: ${JSON.stringify(location)}`);
    const original = originalPositionFor(script.map, { line: location.lineNumber + 1, column: location.columnNumber });
    return { source: original.source ?? '', line: original.line ?? 0 };
  }

  async resume(): Promise<void> {
    this.pauses.length = 0;
    await this.send('Debugger.resume');
  }

  close(): void {
    this.socket.close();
  }
}

function readDataUrl(url: string): string {
  const match = /^data:application\/json;(?:charset=utf-8;)?base64,(.*)$/.exec(url);
  if (match?.[1] === undefined) throw new Error(`not an inline source map: ${url.slice(0, 60)}`);
  return Buffer.from(match[1], 'base64').toString('utf8');
}
