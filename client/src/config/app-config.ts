import { z } from 'zod/mini';
import { devServerApiUrl } from './env';

/** The settings the app starts with. */
export interface AppConfig {
  /** The API's base URL as the browser reaches it, without a trailing slash. */
  apiUrl: string;
}

/** Served beside index.html; written at deploy or container start, so that one build fits every environment. */
export const CONFIG_PATH = '/config.json';

const configFileSchema = z.object({
  apiUrl: z.union(
    [z.url({ protocol: /^https?$/ }), z.string().check(z.regex(/^\/(?!\/)/))],
    'apiUrl must be an http(s) URL, such as https://api.example.com, or a path on this site, such as /api',
  ),
});

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** Reads config.json's content: an absolute URL is taken as it is, a path is on the page's origin. */
export function parseConfigFile(content: unknown, origin: string): AppConfig {
  const result = configFileSchema.safeParse(content);
  if (!result.success) {
    throw new Error(`${CONFIG_PATH} is not valid:\n${result.error.issues.map((issue) => `- ${issue.message}`).join('\n')}`);
  }
  return { apiUrl: withoutTrailingSlash(new URL(result.data.apiUrl, origin).href) };
}

/**
 * Where the API is when config.json does not say: under the Vite dev server, VITE_API_URL (default
 * http://localhost:8000); in a production build, /api on the page's own origin, which the CloudFront
 * distribution routes to the API (no CORS at all). Written so that a production build keeps nothing
 * of the dev server's settings, nor any address from the machine that built it.
 */
const builtInDefault = (origin: string): AppConfig => ({ apiUrl: import.meta.env.DEV ? devServerApiUrl() : `${origin}/api` });

/**
 * config.json if it is there, else the built-in default. "Not there" is a 404 or 403 (S3 answers 403
 * for a missing object) or an HTML page (a single-page-app fallback answering every path with index.html).
 */
export async function loadAppConfig({ origin = window.location.origin, fallback = builtInDefault } = {}): Promise<AppConfig> {
  // No options: the request must match index.html's <link rel="preload">, which started it early.
  const response = await fetch(new URL(CONFIG_PATH, origin)).catch(() => {
    throw new Error(`${CONFIG_PATH} could not be fetched: check the connection and reload the page.`);
  });
  const isPage = response.headers.get('Content-Type')?.includes('text/html') ?? false;
  if (response.status === 404 || response.status === 403 || (response.ok && isPage)) return fallback(origin);
  if (!response.ok) throw new Error(`${CONFIG_PATH} answered ${response.status}: reload the page in a moment.`);
  const content: unknown = await response.json().catch(() => {
    throw new Error(`${CONFIG_PATH} is not valid JSON.`);
  });
  return parseConfigFile(content, origin);
}

let current: AppConfig | null = null;

/** Sets the configuration once at start-up (main.tsx), or per test. */
export function setAppConfig(config: AppConfig): void {
  current = config;
}

export function appConfig(): AppConfig {
  if (current === null) throw new Error('The app configuration is read before it was loaded');
  return current;
}
