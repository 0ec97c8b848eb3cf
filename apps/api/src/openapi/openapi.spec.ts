import { compileErrors, validate } from '@readme/openapi-parser';
import { buildOpenApiDocument, type JsonSchema } from './document';
import { OPERATIONS } from './operations';
import { schemaValidator } from './schema-validator';

interface DocumentOperation {
  operationId: string;
  requestBody?: { content: Record<string, { schema?: JsonSchema; example?: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: JsonSchema; example?: unknown }> }>;
}

const document = buildOpenApiDocument();
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation: operation as unknown as DocumentOperation })),
);

describe('the OpenAPI document (generated from the operations table)', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it('has one operation per row of the table, each with its own operationId', () => {
    expect(operations).toHaveLength(Object.keys(OPERATIONS).length);
    expect(new Set(operations.map((o) => o.operation.operationId)).size).toBe(operations.length);
  });

  it('gives every operation that takes a body a request schema', () => {
    const takesBody = Object.entries(OPERATIONS).filter(([, row]) => row.body || row.multipart || row.rawBody);
    expect(takesBody.length).toBeGreaterThan(15);
    const missing = operations.filter(({ operation }) => {
      const row = Object.values(OPERATIONS).find((r) => r.operationId === operation.operationId)!;
      const content = operation.requestBody?.content ?? {};
      return Boolean(row.body || row.multipart || row.rawBody) && (!Object.keys(content).length || Object.values(content).some((media) => !media.schema));
    });
    expect(missing.map((o) => o.route)).toEqual([]);
  });

  it('gives every success answer a schema (JSON or a media type), and every error answer the problem+json schema', () => {
    const problems: string[] = [];
    for (const { route, operation } of operations) {
      const row = Object.values(OPERATIONS).find((r) => r.operationId === operation.operationId)!;
      const statuses = Object.keys(operation.responses).map(Number);
      const successes = statuses.filter((s) => s < 400);
      if ('never' in row.success) {
        if (successes.length) problems.push(`${route}: documents a success it never gives`);
      } else if (!successes.length) {
        problems.push(`${route}: no success answer`);
      }
      for (const status of successes) {
        const content = operation.responses[status].content;
        if (status !== 204 && status !== 302 && !(content && Object.values(content).every((media) => media.schema))) problems.push(`${route}: ${status} has no schema`);
      }
      for (const status of statuses.filter((s) => s >= 400)) {
        const { $ref } = operation.responses[status];
        if (route === 'GET /api/health' && status === 503) continue;
        if (!$ref?.startsWith('#/components/responses/')) problems.push(`${route}: ${status} is not a problem+json response`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the auth schemes and marks exactly the public routes as needing none', () => {
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearer', 'accessCookie']);
    const open = operations.filter((o) => (o.operation as unknown as { security?: unknown[] }).security?.length === 0).map((o) => o.route);
    expect(open).toEqual(expect.arrayContaining(['GET /api/health', 'POST /api/auth/sign-in', 'POST /api/auth/refresh', 'POST /api/auth/sign-out']));
    expect(open).not.toContain('GET /api/users');
  });

  it('has examples that fit their own schemas', () => {
    const check = schemaValidator(document);
    const problems: string[] = [];
    let examples = 0;
    for (const { route, operation } of operations) {
      const media = [
        ...Object.entries(operation.requestBody?.content ?? {}).map(([type, m]) => [`request ${type}`, m] as const),
        ...Object.entries(operation.responses).flatMap(([status, response]) => Object.entries(response.content ?? {}).map(([type, m]) => [`${status} ${type}`, m] as const)),
      ];
      for (const [where, { schema, example }] of media) {
        if (example === undefined || !schema) continue;
        examples += 1;
        for (const problem of check(schema, example)) problems.push(`${route} ${where}: ${problem}`);
      }
    }
    const components = document.components.responses as Record<string, { content: Record<string, { schema: JsonSchema; example: unknown }> }>;
    for (const [name, response] of Object.entries(components)) {
      for (const { schema, example } of Object.values(response.content)) for (const problem of check(schema, example)) problems.push(`${name}: ${problem}`);
    }
    expect(examples).toBeGreaterThan(60);
    expect(problems).toEqual([]);
  });

  it('catches an example that breaks its schema (the check above can fail)', () => {
    const check = schemaValidator(document);
    expect(check({ $ref: '#/components/schemas/Run' }, { id: 'not a uuid' }).length).toBeGreaterThan(0);
  });
});
