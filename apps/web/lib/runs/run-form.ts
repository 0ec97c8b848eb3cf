import { createRunSchema, RUN_SETTINGS, RUN_SETTING_NAMES, type CreateRun, type ProblemDetails, type RunSettingName } from '@lesionlab/contracts';
import type { z } from 'zod';

/**
 * The launch form's state and its checks, without React: every field is the text of its input, keyed
 * by the path the API's validation names it by (`batchSize`, `settings.lr`, `settings.sampling.pixel`),
 * so a refusal from the client-side schema and one from the API land on the same field.
 */
export type RunFormValues = Record<string, string>;
/** Field path → what is wrong with it; `''` holds what belongs to no field. */
export type FieldErrors = Record<string, string>;

export type RunLength = 'steps' | 'epochs';

export interface SettingField {
  /** Field path, `settings.<name>` (`settings.sampling.<kind>` for the sampling ratios). */
  path: string;
  name: string;
  kind: 'number' | 'integer' | 'choice' | 'boolean';
  options?: readonly string[];
  min?: number;
  max?: number;
}

type AnySchema = z.ZodType & { def: { type: string; innerType?: AnySchema }; minValue?: number | null; maxValue?: number | null; isInt?: boolean; options?: readonly string[]; shape?: Record<string, AnySchema> };

function fieldOf(path: string, name: string, schema: AnySchema): SettingField {
  if (schema.def.type === 'optional' && schema.def.innerType) return fieldOf(path, name, schema.def.innerType);
  if (schema.def.type === 'enum') return { path, name, kind: 'choice', options: schema.options };
  if (schema.def.type === 'boolean') return { path, name, kind: 'boolean', options: ['true', 'false'] };
  return { path, name, kind: schema.isInt ? 'integer' : 'number', min: schema.minValue ?? undefined, max: schema.maxValue ?? undefined };
}

/** The advanced settings a run may set (the contract's allowlist), each as the input it needs; the sampling ratios as one field per kind. */
export function settingFields(): SettingField[] {
  return RUN_SETTING_NAMES.flatMap((name) => {
    const schema = RUN_SETTINGS[name] as unknown as AnySchema;
    if (schema.def.type === 'object' && schema.shape) return Object.entries(schema.shape).map(([kind, inner]) => fieldOf(`settings.${name}.${kind}`, `${name}.${kind}`, inner));
    return [fieldOf(`settings.${name}`, name, schema)];
  });
}

const NUMBER_FIELDS = ['steps', 'epochs', 'batchSize', 'imageSize', 'gpus'] as const;

/** The text of a number input as a number; `undefined` when empty, an error when it is not a number. */
function numberOf(text: string | undefined): { value?: number; error?: string } {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return {};
  const value = Number(trimmed);
  return Number.isFinite(value) ? { value } : { error: `"${trimmed}" is not a number` };
}

/** The POST /api/runs body the form describes (unchecked), and the fields that are not even numbers. */
export function requestOf(values: RunFormValues, length: RunLength): { body: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const body: Record<string, unknown> = { releaseId: values.releaseId ?? '', model: values.model };
  // A recipe sets the sizes of each of its stages: the form's are not sent with one.
  const recipe = (values.recipe ?? '') !== '';
  if (recipe) body.recipe = values.recipe;
  if (recipe && (values.pretrainReleaseId ?? '') !== '') body.pretrainReleaseId = values.pretrainReleaseId;
  if (recipe && (values.recipeVersion ?? '') !== '') body.recipeVersion = Number(values.recipeVersion);
  // A recipe's stages set their own starting weights: a model to start from goes with a plain run only.
  if (!recipe && (values.initModelId ?? '') !== '') body.initModelId = values.initModelId;
  for (const field of NUMBER_FIELDS) {
    if ((field === 'steps' || field === 'epochs') && field !== length) continue;
    if (recipe && field !== 'gpus') continue;
    const { value, error } = numberOf(values[field]);
    if (error) errors[field] = error;
    else if (value !== undefined) body[field] = value;
  }
  const settings: Record<string, unknown> = {};
  for (const field of settingFields()) {
    const text = (values[field.path] ?? '').trim();
    if (text === '') continue;
    let value: unknown = text;
    if (field.kind === 'boolean') value = text === 'true';
    if (field.kind === 'number' || field.kind === 'integer') {
      const parsed = numberOf(text);
      if (parsed.error) {
        errors[field.path] = parsed.error;
        continue;
      }
      value = parsed.value;
    }
    const [, name, kind] = field.path.split('.');
    if (kind) settings[name] = { ...(settings[name] as object), [kind]: value };
    else settings[name] = value;
  }
  body.settings = settings;
  return { body, errors };
}

/** Field errors of zod issues, keyed by their path (the first message of each field). */
export function errorsOfIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    errors[path] ??= issue.message;
  }
  return errors;
}

/** Checks the form with the API's own schema: the request to send, or what is wrong, by field. */
export function validateRunForm(values: RunFormValues, length: RunLength): { request: CreateRun } | { errors: FieldErrors } {
  const { body, errors } = requestOf(values, length);
  const parsed = createRunSchema.safeParse(body);
  const all = { ...(parsed.success ? {} : errorsOfIssues(parsed.error.issues)), ...errors };
  if (Object.keys(all).length > 0) return { errors: all };
  return { request: parsed.data! };
}

/**
 * The API's refusal (problem+json) as field errors: each line of `errors` is `path: message`
 * (apps/api ZodValidationPipe), and a domain refusal about one field says `field: message` in its
 * detail. A line whose path is not one of `fields` goes under `''` whole, with the cause it names.
 */
export function errorsOfProblem(problem: Pick<ProblemDetails, 'detail' | 'errors'> | null, fallback: string, fields: ReadonlySet<string>): FieldErrors {
  const lines = problem?.errors?.length ? problem.errors : [problem?.detail ?? fallback];
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const line of lines) {
    const split = line.indexOf(': ');
    const path = split > 0 ? line.slice(0, split) : '';
    if (path && fields.has(path)) errors[path] ??= line.slice(split + 2);
    else unplaced.push(line);
  }
  if (unplaced.length) errors[''] = unplaced.join('; ');
  return errors;
}

/** Every path the form has a field for (where an API error can be shown). */
export function formFieldPaths(): Set<string> {
  const settingPaths = settingFields().map((f) => f.path);
  const groups = new Set(settingPaths.map((p) => p.split('.').slice(0, 2).join('.')));
  return new Set(['releaseId', 'pretrainReleaseId', 'initModelId', 'model', 'recipe', 'recipeVersion', ...NUMBER_FIELDS, 'settings', ...groups, ...settingPaths]);
}

/** A run's config as form values (re-run: the same settings, on a release chosen anew). */
export function valuesOfConfig(config: CreateRun): { values: RunFormValues; length: RunLength } {
  const values: RunFormValues = { releaseId: config.releaseId, model: config.model };
  if (config.recipe !== undefined) values.recipe = config.recipe;
  if (config.recipeVersion !== undefined) values.recipeVersion = String(config.recipeVersion);
  if (config.pretrainReleaseId !== undefined) values.pretrainReleaseId = config.pretrainReleaseId;
  if (config.initModelId !== undefined) values.initModelId = config.initModelId;
  for (const field of NUMBER_FIELDS) if (config[field] !== undefined) values[field] = String(config[field]);
  for (const field of settingFields()) {
    const [, name, kind] = field.path.split('.');
    const value = (config.settings as Record<string, unknown>)[name as RunSettingName];
    const leaf = kind ? (value as Record<string, unknown> | undefined)?.[kind] : value;
    if (leaf !== undefined) values[field.path] = String(leaf);
  }
  return { values, length: config.epochs !== undefined && config.steps === undefined ? 'epochs' : 'steps' };
}
