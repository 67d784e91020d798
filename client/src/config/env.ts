import { z } from 'zod/mini';

const DEFAULT_API_URL = 'http://localhost:8000';
const apiUrlSchema = z.url({ protocol: /^https?$/, error: 'VITE_API_URL must be an http(s) URL, such as http://localhost:8000' });

/** Reads VITE_API_URL; an invalid value stops the app with a readable message. */
export function parseEnv(source: Record<string, unknown>): { apiUrl: string } {
  const result = apiUrlSchema.safeParse(source.VITE_API_URL || DEFAULT_API_URL);
  if (!result.success) {
    throw new Error(`Invalid client configuration:\n${result.error.issues.map((issue) => `- ${issue.message}`).join('\n')}`);
  }
  // Paths are joined as `${apiUrl}/rocks`, so a trailing slash would double up.
  return { apiUrl: result.data.replace(/\/+$/, '') };
}

/**
 * The dev server's API address: VITE_API_URL, read live by `vite` as in the workshop. Only the dev
 * server calls this, so production builds carry none of it (see app-config.ts).
 */
export function devServerApiUrl(): string {
  return parseEnv(import.meta.env).apiUrl;
}
