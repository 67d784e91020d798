import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { rock, type Rock } from '@rock-of-ages/contract';
import { compileJsonSerializer } from '../../serialization/json-serializer.js';

/** How many rocks a paged query selects in all, beside each page. */
export const TOTAL_COUNT_HEADER = 'x-total-count';

const JSON_TYPE = 'application/json; charset=utf-8';
const rockJson = compileJsonSerializer(rock);

const joined = (rocks: Rock[]) => rocks.map(rockJson).join(',');

/** The JSON array of every rock the batches hold, in pieces: `[` and the first batch, `,` and each further one, then `]`. */
async function* arrayPieces(batches: AsyncIterable<Rock[]>): AsyncGenerator<string> {
  let opening = '[';
  for await (const batch of batches) {
    yield `${opening}${joined(batch)}`;
    opening = ',';
  }
  if (opening === '[') yield '[';
  yield ']';
}

/**
 * Sends every rock the batches hold as one JSON array, byte for byte the array JSON.stringify would
 * write. The first two pieces are read before anything is sent: when the second is the closing
 * bracket, the list goes out whole, with Content-Length, as always (and a database error is still
 * answered as one). A longer list is streamed, one batch at a time and only as fast as the client
 * reads (the database is read one batch ahead of what has been written, and no further). A
 * database error mid-way cuts the connection: the client sees an incomplete answer, never a short
 * list that looks whole.
 *
 * The batches are read by one generator from first to last: when this function took the first
 * batch itself and handed the rest to the stream, every batch outlived two young-generation
 * collections and went to V8's old generation (a 100,000-rock list then peaked at about 230 MiB
 * of RSS instead of 135).
 */
export async function sendRockList(reply: FastifyReply, batches: AsyncIterable<Rock[]>): Promise<FastifyReply> {
  const pieces = arrayPieces(batches);
  const first = await pieces.next();
  const second = await pieces.next();
  reply.type(JSON_TYPE);
  if (second.value === ']') return reply.send(`${first.value}]`);

  async function* stream() {
    yield first.value;
    yield second.value;
    yield* pieces;
  }
  return reply.send(Readable.from(stream(), { objectMode: true, highWaterMark: 1 }));
}

/** RFC 8288's link to the page after `lastId`, as a reference relative to this request's URL (it keeps the path, whatever prefix a proxy adds). */
export function nextPageLink(query: Record<string, string | number | undefined>, lastId: number): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, after: lastId })) if (value !== undefined) parameters.set(name, String(value));
  return `<?${parameters.toString()}>; rel="next"`;
}
