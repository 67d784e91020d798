import { z } from 'zod/mini';
import { isStorableText } from './storable-text.js';

/** Refuses text that the database could not store as it is (NUL, unpaired surrogates), with a message naming the field. */
export const storable = (field: string) => z.refine<string>(isStorableText, { error: `${field} must not contain NUL characters or unpaired surrogates` });

/** "is required" when the field is absent, `wrongType` when it is there but of the wrong type. */
export const requiredOr = (missing: string, wrongType: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? missing : wrongType),
});
