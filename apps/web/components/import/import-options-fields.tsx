'use client';

import { IMPORT_FORMATS, PATIENT_LABELS, type ImportFormat } from '@lesionlab/contracts';
import { OPTIONS_OF, type FormField, type ImportFormValues, type OptionField } from '../../lib/import/import-form';
import styles from './import.module.css';

/** What each format reads, in a person's words. */
export const FORMAT_NAMES: Record<ImportFormat, string> = {
  manifest: 'CSV manifest — manifest.csv naming images (and masks); e.g. medseg-ct100',
  images: 'PNG/JPEG images — one slice a file, masks folder with the same names',
  'covid-cs': 'COVID-CS — <patient hash>_<slice>.jpg, masks with the same names',
  nifti: 'NIfTI volumes (.nii, .nii.gz) — label volumes as masks',
  dicom: 'DICOM series (.dcm)',
};

const OPTION_LABELS: Record<OptionField, { label: string; hint: string; placeholder?: string }> = {
  collection: { label: 'Collection', hint: 'Patients are unique per collection; a picked folder fills in its name.', placeholder: 'e.g. medseg-ct100' },
  labels: { label: 'Labels CSV', hint: 'A patient_id,label CSV: a path relative to the source, or absolute.', placeholder: 'e.g. labels.csv' },
  masks: { label: 'Masks folder', hint: 'Masks with the images’ names (label volumes for NIfTI), relative to the source.', placeholder: 'e.g. masks' },
  label: { label: 'Default label', hint: 'The label of patients nothing else labels.' },
  patient: { label: 'Patient', hint: 'One patient for every file (otherwise each sub-folder, or the manifest’s column).', placeholder: 'e.g. patient-001' },
  maskThreshold: { label: 'Mask threshold', hint: 'A mask pixel is lesion at or above this value: 1 for binary masks, 128 for soft ones.' },
};

function FieldError({ field, errors }: { field: FormField; errors: Partial<Record<FormField, string>> }) {
  return errors[field] ? (
    <span className="form-error" role="alert" data-testid={`error-${field}`}>
      {errors[field]}
    </span>
  ) : null;
}

/** The format and the options it reads (the others are hidden, and not sent), each with its error. */
export function ImportOptionsFields({ values, errors, onChange, disabled }: { values: ImportFormValues; errors: Partial<Record<FormField, string>>; onChange: (patch: Partial<ImportFormValues>) => void; disabled: boolean }) {
  return (
    <>
      <label className={`filter ${styles.wide}`}>
        Format
        <select data-testid="import-format" value={values.format} disabled={disabled} onChange={(e) => onChange({ format: e.target.value as ImportFormat })}>
          {IMPORT_FORMATS.map((format) => (
            <option key={format} value={format}>
              {FORMAT_NAMES[format]}
            </option>
          ))}
        </select>
        <FieldError field="format" errors={errors} />
      </label>
      <div className={styles.optionGrid}>
        {OPTIONS_OF[values.format].map((field) => (
          <label key={field} className="filter" title={OPTION_LABELS[field].hint}>
            {OPTION_LABELS[field].label}
            {field === 'label' ? (
              <select data-testid="import-option-label" value={values.label} disabled={disabled} onChange={(e) => onChange({ label: e.target.value as ImportFormValues['label'] })}>
                <option value="">unknown unless a CSV says</option>
                {PATIENT_LABELS.map((label) => (
                  <option key={label} value={label}>
                    {label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type={field === 'maskThreshold' ? 'number' : 'text'}
                className={styles.textInput}
                data-testid={`import-option-${field}`}
                aria-invalid={errors[field] ? true : undefined}
                value={values[field]}
                placeholder={OPTION_LABELS[field].placeholder}
                disabled={disabled}
                onChange={(e) => onChange({ [field]: e.target.value })}
              />
            )}
            <span className={styles.hint}>{OPTION_LABELS[field].hint}</span>
            <FieldError field={field} errors={errors} />
          </label>
        ))}
      </div>
    </>
  );
}
