/**
 * The target of a Link header's rel="next" (RFC 8288), resolved against the URL of the answer that
 * carried it; null when there is none. Each link is `<reference>; param=value; …`, several separated
 * by commas; rel may list several relation types ("next last").
 */
export function nextPageUrl(link: string | null, base: URL): URL | null {
  if (link === null) return null;
  for (const [, reference, parameters] of link.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(parameters ?? '');
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (reference !== undefined && relations.includes('next')) return new URL(reference, base);
  }
  return null;
}
