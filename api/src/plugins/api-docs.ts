import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

const DOCS_PREFIX = '/docs';

/** The document's schemes: the token the original's DRF TokenAuthentication reads. */
const TOKEN_SCHEME = { token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key>, from POST /register or POST /login.' } } as const;

/**
 * The routes' own schemas, turned into JSON Schema by the type provider; a route that can answer 401
 * takes a token, so the document says so rather than every route repeating it.
 */
const transform: typeof jsonSchemaTransform = (input) => {
  const output = jsonSchemaTransform(input);
  const response = input.schema?.response as Record<string, unknown> | undefined;
  return response?.[401] === undefined ? output : { ...output, schema: { ...output.schema, security: [{ token: [] }] } };
};

/**
 * The OpenAPI 3.1 document of every route, generated at start-up from the schemas in contract/, at
 * `GET /openapi.json`, and a reference page that reads it at `/docs`. Neither asks for a token.
 * Registered before the routes, which it collects as they are added.
 */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Rock of Ages API',
          version: '1.0.0',
          description: 'Collect rocks. A drop-in replacement for the original Django REST framework API: the same paths, bodies and answers.',
        },
        components: { securitySchemes: TOKEN_SCHEME },
      },
      transform,
      transformObject: jsonSchemaTransformObject,
    });
    // The page reads the document at /docs/json, relative to itself, so that it works behind a path prefix (CloudFront's /api).
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, theme: { title: 'Rock of Ages API' } });

    app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  },
  { name: 'api-docs' },
);
