import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Chunk {
  file: string;
  kind: 'js' | 'css';
  raw: number;
  gzip: number;
  /** Loaded by index.html itself (script, stylesheet or modulepreload), rather than on demand by a route. */
  initial: boolean;
}

/** Every JS and CSS file of a build, gzipped at level 9 as in Vite's own report. */
export async function readChunks(outDir: string): Promise<Chunk[]> {
  const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
  const assetsDir = path.join(outDir, 'assets');
  const chunks: Chunk[] = [];
  for (const file of (await readdir(assetsDir)).sort()) {
    const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : null;
    if (kind === null) continue;
    const content = await readFile(path.join(assetsDir, file));
    chunks.push({ file, kind, raw: content.length, gzip: gzipSync(content, { level: 9 }).length, initial: html.includes(`/assets/${file}`) });
  }
  return chunks;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`.padStart(9);

export function printChunks(chunks: Chunk[]): void {
  console.log('Production bundle (vite build; gzip -9)');
  console.log(`  ${'file'.padEnd(40)}${'gzipped'.padStart(9)}${'raw'.padStart(9)}  loaded`);
  for (const chunk of chunks) {
    console.log(`  ${chunk.file.padEnd(40)}${kB(chunk.gzip)}${kB(chunk.raw)}  ${chunk.initial ? 'at start' : 'on demand'}`);
  }
  for (const kind of ['js', 'css'] as const) {
    const ofKind = chunks.filter((chunk) => chunk.kind === kind);
    const sum = (list: Chunk[]) => list.reduce((total, chunk) => total + chunk.gzip, 0);
    console.log(`  ${`${kind.toUpperCase()} total`.padEnd(40)}${kB(sum(ofKind))}  (${kB(sum(ofKind.filter((chunk) => chunk.initial))).trim()} at start)`);
  }
}
