import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Answer, AnswerCheck } from './http.js';

/** The parts of an OpenAPI 3.1 document this check reads. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
}

const DOCUMENT_ID = 'openapi.json';

/** `/rocks/{id}` as a pattern that `/rocks/12` matches. */
function templatePattern(template: string): RegExp {
  const segments = template.split('/').map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks every answer against the schema the deployment's own OpenAPI document gives for its path,
 * method and status: a status the document does not list, or a body that does not match, fails.
 * Answers of paths the document does not describe (unknown routes) are left alone.
 */
export function openApiConformance(document: OpenApiDocument): AnswerCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(document as object, DOCUMENT_ID);
  const templates = Object.keys(document.paths).map((template) => ({ template, pattern: templatePattern(template) }));

  return (answer: Answer) => {
    const path = answer.path.split('?')[0] ?? '';
    const method = answer.method.toLowerCase();
    const route = templates.find(({ pattern }) => pattern.test(path));
    const operation = route === undefined ? undefined : document.paths[route.template]?.[method];
    if (route === undefined || operation === undefined) return;
    const where = `${answer.method} ${answer.path} → ${answer.status}`;
    const response = operation.responses?.[String(answer.status)];
    if (response === undefined) throw new Error(`${where}: the OpenAPI document lists no ${answer.status} for ${answer.method} ${route.template}`);
    const declared = response.content?.['application/json']?.schema;
    if (declared === undefined) {
      if (answer.body !== undefined) throw new Error(`${where}: the document declares no body, and one came: ${JSON.stringify(answer.body)}`);
      return;
    }
    const ref = `${DOCUMENT_ID}#/${pointer('paths', route.template, method, 'responses', String(answer.status), 'content', 'application/json', 'schema')}`;
    const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    if (!validate(answer.body)) throw new Error(`${where}: the body does not match the document: ${JSON.stringify(answer.body)} ${ajv.errorsText(validate.errors)}`);
  };
}

/** The deployment's document, or undefined when it serves none (API_DOCS=false). */
export async function fetchOpenApiDocument(baseUrl: string): Promise<OpenApiDocument | undefined> {
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/openapi.json`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}
