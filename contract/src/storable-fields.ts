import { z } from 'zod/mini';
import { parseId } from './ids.js';
import { isStorableText } from './storable-text.js';

/** Refuses text that the database could not store as it is (NUL, unpaired surrogates), with a message naming the field. */
export const storable = (field: string) => z.refine<string>(isStorableText, { error: `${field} must not contain NUL characters or unpaired surrogates` });

/** "is required" when the field is absent, `wrongType` when it is there but of the wrong type. */
export const requiredOr = (missing: string, wrongType: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? missing : wrongType),
});

/** A text column's value: trimmed, 1 to `max` characters, storable; each message names `field`. */
export const storedText = (field: string, max: number, description: string) =>
  z
    .string(requiredOr(`${field} is required`, `${field} must be text`))
    .check(
      z.trim(),
      z.minLength(1, `${field} must not be empty`),
      z.maxLength(max, `${field} must be at most ${max} characters`),
      storable(field),
      z.describe(description),
    );

/**
 * A row's id in a body, as a JSON number or its digits in a string (as an HTML form and the course's
 * client send it); `refused` words the message for a value that is neither.
 */
export const idField = (missing: string, wrongType: string, refused: (value: number | string) => string = () => wrongType) =>
  z.pipe(
    z.union([z.number(), z.string()], requiredOr(missing, wrongType)),
    z.transform((value: number | string, ctx) => {
      const id = parseId(value);
      if (id !== undefined) return id;
      ctx.issues.push({ code: 'custom', message: refused(value), input: value });
      return z.NEVER;
    }),
  );
