import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { rock, type Rock } from '@rock-of-ages/contract';
import { LIST_BATCH_SIZE } from '../../repositories/rocks-repository.js';
import { compileJsonSerializer } from '../../serialization/json-serializer.js';

/** How many rocks a paged query selects in all, beside each page. */
export const TOTAL_COUNT_HEADER = 'x-total-count';

const JSON_TYPE = 'application/json; charset=utf-8';
const rockJson = compileJsonSerializer(rock);

const joined = (rocks: Rock[]) => rocks.map(rockJson).join(',');

/**
 * Sends every rock the batches hold as one JSON array, byte for byte the array JSON.stringify would
 * write. A list that fits in one batch goes out whole, with Content-Length, as always; a longer one
 * is streamed, one batch at a time and only as fast as the client reads (the next batch is read
 * from the database once the previous one has been taken). A database error mid-way cuts the
 * connection: the client sees an incomplete answer, never a short list that looks whole.
 */
export async function sendRockList(reply: FastifyReply, batches: AsyncGenerator<Rock[]>): Promise<FastifyReply> {
  const first = await batches.next();
  const firstBatch = first.done === true ? [] : first.value;
  reply.type(JSON_TYPE);
  if (firstBatch.length < LIST_BATCH_SIZE) return reply.send(`[${joined(firstBatch)}]`);

  async function* chunks() {
    yield `[${joined(firstBatch)}`;
    for await (const batch of batches) yield `,${joined(batch)}`;
    yield ']';
  }
  return reply.send(Readable.from(chunks(), { objectMode: true, highWaterMark: 1 }));
}

/** RFC 8288's link to the page after `lastId`, as a reference relative to this request's URL (it keeps the path, whatever prefix a proxy adds). */
export function nextPageLink(query: Record<string, string | number | undefined>, lastId: number): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, after: lastId })) if (value !== undefined) parameters.set(name, String(value));
  return `<?${parameters.toString()}>; rel="next"`;
}
