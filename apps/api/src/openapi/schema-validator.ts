import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema, OpenApiDocument } from './document';

/**
 * Checks values against the document's JSON Schemas (draft 2020-12, OpenAPI 3.1's dialect): each
 * schema is compiled with the document's components beside it, so its `#/components/schemas/…`
 * references resolve. Returns the problems, empty when the value fits.
 */
export function schemaValidator(document: OpenApiDocument): (schema: JsonSchema, value: unknown) => string[] {
  // strict: false lets the `components` holder and OpenAPI's annotations (contentMediaType, example) pass.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction>();
  return (schema, value) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: document.components });
      compiled.set(key, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
  };
}

/** The JSON schema of an operation's answer with this status (undefined when it has none). */
export function responseSchema(document: OpenApiDocument, method: string, path: string, status: number): JsonSchema | undefined {
  const operation = document.paths[path]?.[method.toLowerCase()] as { responses: Record<string, { $ref?: string; content?: Record<string, { schema: JsonSchema }> }> } | undefined;
  let response = operation?.responses[String(status)];
  if (response?.$ref) response = document.components.responses[response.$ref.split('/').pop()!] as typeof response;
  const content = response?.content;
  return content && (content['application/json'] ?? content['application/problem+json'])?.schema;
}
