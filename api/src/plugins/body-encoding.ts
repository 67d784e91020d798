import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const UTF8 = new Set(['utf-8', 'utf8']);

/** The `charset` parameter of a Content-Type header, lower-cased and unquoted; undefined when there is none. */
function charsetOf(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset') return value.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

function unsupported(message: string) {
  return Object.assign(new Error(message), { statusCode: 415 });
}

/**
 * Bodies are read as UTF-8 JSON, as they come: one declared in another charset, or compressed, is
 * refused with 415 rather than misread (UTF-16 read as UTF-8 is another text, or no JSON at all).
 */
export default fp(
  (app: FastifyInstance) => {
    // Runs for every request, bodiless ones too: a callback, not an async function, spares each a promise.
    app.addHook('preParsing', (request, _reply, payload, done) => {
      const encoding = request.headers['content-encoding']?.trim().toLowerCase();
      if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
        return done(unsupported(`Unsupported content-encoding "${encoding}": send the body uncompressed`));
      }
      const charset = charsetOf(request.headers['content-type'] ?? '');
      if (charset !== undefined && !UTF8.has(charset)) return done(unsupported(`Unsupported charset "${charset}": send JSON as UTF-8`));
      done(null, payload);
    });
  },
  { name: 'body-encoding' },
);
