import { z } from 'zod';
import { PROBLEM_MEDIA_TYPE } from '@lesionlab/contracts';
import { accessOf, PUBLIC } from '../auth/permissions';
import { ACCESS_COOKIE } from '../auth/session-cookies';
import { REQUEST_COMPONENTS, RESPONSE_COMPONENTS } from './components';
import { TAGS, type ErrorStatus, type Operation } from './operation';
import { OPERATIONS } from './operations';

export type JsonSchema = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  info: JsonSchema;
  servers: JsonSchema[];
  tags: JsonSchema[];
  security: JsonSchema[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const SCHEMA_REF = '#/components/schemas/';
const INLINE = '__inline';

const ERRORS: Record<ErrorStatus, { name: string; description: string; detail: string }> = {
  400: { name: 'BadRequest', description: 'The request breaks the schema; `detail` and `errors` name each bad field.', detail: 'releaseId: Invalid UUID' },
  401: { name: 'Unauthorized', description: 'No valid credentials (bearer token or access cookie).', detail: 'Sign in first: send a bearer token or the access cookie' },
  403: { name: 'Forbidden', description: 'The caller’s role may not do this (or, for reviews, it is their own work).', detail: 'The annotator role may not call POST /api/releases' },
  404: { name: 'NotFound', description: 'What the path names does not exist (or is not visible to the caller).', detail: `No slice 5b0f6a2e-3c1d-4e8f-9a7b-1c2d3e4f5a6b` },
  409: { name: 'Conflict', description: 'The request conflicts with the current state.', detail: 'Release 4c5d6e7f-8a9b-4c0d-9e1f-3a4b5c6d7e8f is not ready (status building)' },
  413: { name: 'PayloadTooLarge', description: 'The body is over the configured limit.', detail: 'request entity too large' },
  415: { name: 'UnsupportedMediaType', description: 'An uploaded file is not of a kind the import reads.', detail: 'files: scan.exe is not a DICOM, NIfTI, PNG or JPEG file' },
  428: { name: 'PreconditionRequired', description: 'A save needs If-Match (the revision it builds on) or If-None-Match: *.', detail: 'Send If-Match with the revision you edited, or If-None-Match: * for the first one' },
  429: { name: 'TooManyRequests', description: 'Too many attempts; Retry-After says when to try again.', detail: 'Too many sign-in attempts: try again in 42 s' },
  503: { name: 'ServiceUnavailable', description: 'The database cannot be reached right now; Retry-After says when to try again.', detail: 'The database is unavailable right now, so the request could not be completed. Try again in a few seconds.' },
};

/** Dates are read from query strings (e.g. the audit log's `since`): in JSON they are ISO 8601 strings. */
function dateAsString(context: { zodSchema: z.core.$ZodType; message: string }): JsonSchema | 'throw' {
  return context.zodSchema._zod.def.type === 'date' ? { type: 'string', format: 'date-time' } : 'throw';
}

/** Descriptions and other metadata given with `.meta()` / `.describe()` (zod keeps them in its global registry). */
function copyMetadata({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const { id: _id, ...meta } = (z.globalRegistry.get(zodSchema) ?? {}) as JsonSchema;
  Object.assign(jsonSchema, meta);
}

/**
 * Converts the named components and the schemas used inline, all in one pass per direction so that
 * every use of a named schema becomes a $ref to it.
 */
function convert(io: 'input' | 'output', named: Record<string, z.ZodType>, inline: Set<z.ZodType>) {
  const registry = z.registry<{ id: string }>();
  const ids = new Map<z.ZodType, string>();
  for (const [id, schema] of Object.entries(named)) {
    registry.add(schema, { id });
    ids.set(schema, id);
  }
  for (const schema of inline) {
    if (ids.has(schema)) continue;
    const id = `${INLINE}${ids.size}`;
    registry.add(schema, { id });
    ids.set(schema, id);
  }
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `${SCHEMA_REF}${id}`, unrepresentable: dateAsString, override: copyMetadata });
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const text = JSON.stringify(schemas);
  if (text.includes(`${SCHEMA_REF}${INLINE}`)) throw new Error(`an inline ${io} schema is nested in another; name it in components.ts`);
  const components = Object.fromEntries(Object.keys(named).map((id) => [id, schemas[id] as JsonSchema]));
  const of = (schema: z.ZodType): JsonSchema => {
    const id = ids.get(schema)!;
    return id.startsWith(INLINE) ? (schemas[id] as JsonSchema) : { $ref: `${SCHEMA_REF}${id}` };
  };
  return { components, of };
}

/** `/api/slices/:id` → `/api/slices/{id}`; Express's `*key` (several segments) → `{key}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z]+)/g, '{$1}');
}

function pathParamNames(expressPath: string): string[] {
  return [...expressPath.matchAll(/[:*]([A-Za-z]+)/g)].map((m) => m[1]);
}

function parametersOf(route: string, operation: Operation, input: ReturnType<typeof convert>) {
  const path = route.split(' ')[1];
  const fromObject = (where: 'path' | 'query' | 'header', schema: z.ZodObject | undefined) => {
    if (!schema) return [];
    const json = input.of(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => {
      const { description, ...rest } = property;
      return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
    });
  };
  const given = fromObject('path', operation.params);
  const pathParams = pathParamNames(path).map((name) => {
    const found = given.find((p) => p.name === name);
    if (found) return found;
    if (name === 'id') return { name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
    throw new Error(`${route}: path parameter "${name}" has no schema in its operation's params`);
  });
  return [...pathParams, ...fromObject('query', operation.query), ...fromObject('header', operation.headers)];
}

function headersOf(headers: Record<string, string> | undefined) {
  return headers && { headers: Object.fromEntries(Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) };
}

function responsesOf(operation: Operation, output: ReturnType<typeof convert>, guarded: boolean) {
  const responses: Record<string, JsonSchema> = {};
  const success = operation.success;
  if ('schema' in success) {
    responses[success.status] = { description: success.description, ...headersOf(success.headers), content: { 'application/json': { schema: output.of(success.schema), example: success.example } } };
  } else if ('media' in success) {
    const schema: JsonSchema = { type: 'string', contentMediaType: success.media };
    if (success.itemSchema) {
      if (!(success.itemSchema in RESPONSE_COMPONENTS)) throw new Error(`${operation.operationId}: itemSchema ${success.itemSchema} is not a named component`);
      schema.description = `Each item follows ${SCHEMA_REF}${success.itemSchema}.`;
    }
    responses[success.status] = { description: success.description, ...headersOf(success.headers), content: { [success.media]: { schema } } };
  } else if ('status' in success) {
    responses[success.status] = { description: success.description, ...headersOf(success.headers) };
  }
  if (operation.degraded && 'schema' in success) responses[503] = { description: operation.degraded, content: { 'application/json': { schema: output.of(success.schema) } } };
  const errors = new Set<ErrorStatus>([...operation.errors, ...(guarded ? ([401, 403] as const) : []), ...(operation.degraded ? [] : ([503] as const))]);
  for (const status of [...errors].sort()) responses[status] = { $ref: `#/components/responses/${ERRORS[status].name}` };
  return responses;
}

function requestBodyOf(operation: Operation, input: ReturnType<typeof convert>) {
  const content: Record<string, JsonSchema> = {};
  if (operation.body) content['application/json'] = { schema: input.of(operation.body.schema), example: operation.body.example };
  if (operation.multipart) content['multipart/form-data'] = { schema: input.of(operation.multipart.schema) };
  if (operation.rawBody) content[operation.rawBody.media] = { schema: { type: 'string', contentMediaType: operation.rawBody.media } };
  if (!Object.keys(content).length) return undefined;
  const description = [operation.body?.description, operation.multipart && `multipart/form-data: ${operation.multipart.description}`, operation.rawBody?.description].filter(Boolean).join(' ');
  return { required: true, ...(description ? { description } : {}), content };
}

/**
 * The OpenAPI 3.1 document of the whole API, generated from the operations table and the contracts'
 * zod schemas. A pure function: no server, no database (the build writes it to a file).
 */
export function buildOpenApiDocument(options: { serverUrl?: string; operations?: Record<string, Operation> } = {}): OpenApiDocument {
  const operations = options.operations ?? OPERATIONS;
  const requestSchemas = new Set<z.ZodType>();
  const responseSchemas = new Set<z.ZodType>();
  for (const operation of Object.values(operations)) {
    for (const schema of [operation.params, operation.query, operation.headers, operation.body?.schema, operation.multipart?.schema]) if (schema) requestSchemas.add(schema);
    if ('schema' in operation.success) responseSchemas.add(operation.success.schema);
  }
  for (const name of Object.keys(REQUEST_COMPONENTS)) if (name in RESPONSE_COMPONENTS) throw new Error(`components.ts names ${name} twice`);
  const input = convert('input', REQUEST_COMPONENTS, requestSchemas);
  const output = convert('output', RESPONSE_COMPONENTS, responseSchemas);

  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const [route, operation] of Object.entries(operations)) {
    const [method, expressPath] = route.split(' ');
    if (operationIds.has(operation.operationId)) throw new Error(`${route}: operationId ${operation.operationId} is used twice`);
    operationIds.add(operation.operationId);
    const access = accessOf(method, expressPath);
    if (!access) throw new Error(`${route} has no row in the permission matrix (apps/api/src/auth/permissions.ts)`);
    const guarded = access !== PUBLIC;
    const who = guarded ? `Roles: ${access.join(', ')}.` : 'Public.';
    const requestBody = requestBodyOf(operation, input);
    const parameters = parametersOf(route, operation, input);
    (paths[openApiPath(expressPath)] ??= {})[method.toLowerCase()] = {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      description: [operation.description, who].filter(Boolean).join('\n\n'),
      ...(guarded ? {} : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: responsesOf(operation, output, guarded),
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'LesionLab API',
      version: '0.1.0',
      description: 'Catalog, annotation, releases and training runs for chest-CT lesion segmentation. Every error is application/problem+json (RFC 9457).',
    },
    servers: [{ url: options.serverUrl ?? 'http://localhost:3000', description: 'The API (PUBLIC_API_URL)' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearer: [] }, { accessCookie: [] }],
    paths,
    components: {
      schemas: { ...output.components, ...input.components },
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([status, error]) => [
          error.name,
          { description: error.description, content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `${SCHEMA_REF}ProblemDetails` }, example: { type: 'about:blank', title: error.name.replace(/([a-z])([A-Z])/g, '$1 $2'), status: Number(status), detail: error.detail, instance: '/api/…', requestId: 'req-7f3a9c' } } } },
        ]),
      ),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/auth/tokens, for the CLI and automation) or the access token sign-in returns.' },
        accessCookie: { type: 'apiKey', in: 'cookie', name: ACCESS_COOKIE, description: 'The httpOnly access cookie sign-in sets (the web app).' },
      },
    },
  };
}
