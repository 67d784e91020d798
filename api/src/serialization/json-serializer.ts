import fastJson from 'fast-json-stringify';
import { z } from 'zod';

export type JsonSerializer = (value: unknown) => string;

/**
 * A response's zod schema compiled once into a fast-json-stringify function: it writes the declared
 * fields in the schema's order, as zod's parse-then-JSON.stringify did, at a fraction of the cost
 * (it does not validate the answer again, it only writes what the schema names).
 */
export function compileJsonSerializer(schema: z.core.$ZodType): JsonSerializer {
  // `$schema` names draft 2020-12, which fast-json-stringify's Ajv does not load; the keywords used here are in every draft.
  const jsonSchema: Record<string, unknown> = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
  delete jsonSchema.$schema;
  return fastJson(jsonSchema as unknown as Parameters<typeof fastJson>[0]) as JsonSerializer;
}

/** Fastify's `serializerCompiler` for routes whose response schemas are zod schemas. */
export const serializerCompiler = ({ schema }: { schema: unknown }): JsonSerializer => compileJsonSerializer(schema as z.core.$ZodType);
