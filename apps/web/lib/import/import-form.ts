import { importOptionsSchema, startImportSchema, type ImportFormat, type ImportOptions, type PatientLabel, type StartImport } from '@lesionlab/contracts';

/** Where an import reads from: files sent from this browser, a folder on the server, or an object-store prefix. */
export type SourceKind = 'upload' | 'path' | 's3';

/** The import form as typed: every field a string ('' = not given). */
export interface ImportFormValues {
  sourceKind: SourceKind;
  path: string;
  prefix: string;
  format: ImportFormat;
  collection: string;
  labels: string;
  masks: string;
  label: '' | PatientLabel;
  patient: string;
  maskThreshold: string;
}

export type OptionField = 'collection' | 'labels' | 'masks' | 'label' | 'patient' | 'maskThreshold';
export type FormField = OptionField | 'path' | 'prefix' | 'format';

/** The options each format reads (the importers' and the CLI's). */
export const OPTIONS_OF: Record<ImportFormat, readonly OptionField[]> = {
  'covid-cs': ['collection', 'labels', 'masks', 'label', 'maskThreshold'],
  manifest: ['collection', 'labels', 'label', 'patient', 'maskThreshold'],
  nifti: ['collection', 'labels', 'masks', 'label', 'patient'],
  dicom: ['collection', 'labels', 'label'],
  images: ['collection', 'labels', 'masks', 'label', 'patient', 'maskThreshold'],
};

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Partial<Record<FormField, string>> };

function errorsOf(issues: { path: PropertyKey[]; message: string }[]): Partial<Record<FormField, string>> {
  const errors: Partial<Record<FormField, string>> = {};
  for (const issue of issues) {
    // 'options.masks' → masks, 'source.path' → path
    const field = String(issue.path[issue.path.length - 1] ?? 'format') as FormField;
    errors[field] ??= issue.message;
  }
  return errors;
}

/** The options the format reads, blanks left out, checked with the API's own schema. */
export function checkOptions(values: ImportFormValues): Checked<ImportOptions> {
  const given: Record<string, unknown> = {};
  for (const field of OPTIONS_OF[values.format]) {
    const text = values[field].trim();
    if (text) given[field] = field === 'maskThreshold' ? Number(text) : text;
  }
  const parsed = importOptionsSchema.safeParse(given);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: errorsOf(parsed.error.issues) };
}

/** POST /api/imports' JSON body for a server path or object-store prefix, checked with the API's own schema. */
export function checkServerImport(values: ImportFormValues): Checked<StartImport> {
  const options = checkOptions(values);
  const source = values.sourceKind === 's3' ? { kind: 's3' as const, prefix: values.prefix.trim() } : { kind: 'path' as const, path: values.path.trim() };
  const parsed = startImportSchema.safeParse({ format: values.format, source, options: options.ok ? options.value : {} });
  if (parsed.success && options.ok) return { ok: true, value: parsed.data };
  return { ok: false, errors: { ...(parsed.success ? {} : errorsOf(parsed.error.issues)), ...(options.ok ? {} : options.errors) } };
}
