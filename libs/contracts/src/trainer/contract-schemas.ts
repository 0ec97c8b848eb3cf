import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** libs/contracts/schemas: the JSON Schemas the trainer (Python) and the platform (TypeScript) both validate against. */
export const CONTRACT_SCHEMAS_DIR = path.resolve(__dirname, '../../schemas');

export type ContractSchemaFile = 'release-manifest.schema.json' | 'trainer-events.schema.json' | 'evaluation-report.schema.json' | 'prediction.schema.json';

const ajv = new Ajv2020({ allErrors: false });
addFormats(ajv);

function load(file: ContractSchemaFile): string {
  const schema = JSON.parse(fs.readFileSync(path.join(CONTRACT_SCHEMAS_DIR, file), 'utf8')) as { $id: string };
  if (!ajv.getSchema(schema.$id)) ajv.addSchema(schema);
  return schema.$id;
}

/** The compiled validator of a contract schema, or of one of its `$defs` (`fragment`: `progress` → `#/$defs/progress`). */
export function contractValidator<T>(file: ContractSchemaFile, fragment?: string): ValidateFunction<T> {
  const id = load(file);
  const validate = ajv.getSchema<T>(fragment ? `${id}#/$defs/${fragment}` : id);
  if (!validate) throw new Error(`${file} has no $defs/${fragment}`);
  return validate;
}

const DETAIL: Record<string, (params: Record<string, unknown>) => string> = {
  const: (p) => ` (${JSON.stringify(p.allowedValue)})`,
  enum: (p) => ` (${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`,
  additionalProperties: (p) => ` (${JSON.stringify(p.additionalProperty)})`,
};

/** "at /label: must be equal to one of the allowed values (...)" — the rule a value broke, where. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  // an if/then failure is reported twice: the `then` rule itself, then "must match then schema"
  const error = errors?.find((e) => e.keyword !== 'if') ?? errors?.[0];
  if (!error) return 'is not valid';
  return `at ${error.instancePath || '(top level)'}: ${error.message}${DETAIL[error.keyword]?.(error.params) ?? ''}`;
}
