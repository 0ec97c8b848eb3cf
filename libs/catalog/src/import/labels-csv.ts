import { parse } from 'csv-parse/sync';
import type { PatientLabel } from '@lesionlab/contracts';

const SYNONYMS: Record<string, PatientLabel> = {
  covid: 'covid',
  'covid-19': 'covid',
  covid19: 'covid',
  positive: 'covid',
  '1': 'covid',
  negative: 'negative',
  noncovid: 'negative',
  'non-covid': 'negative',
  normal: 'negative',
  '0': 'negative',
  unknown: 'unknown',
  '': 'unknown',
};

/** Maps the spellings of patient labels found in the wild onto covid / negative / unknown; null when unrecognised. */
export function normalizeLabel(value: string): PatientLabel | null {
  return SYNONYMS[value.trim().toLowerCase()] ?? null;
}

export function parseCsv(text: Buffer | string): Record<string, string>[] {
  return parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
}

/** Reads a `patient_id,label` CSV into a map; throws naming the first bad row. */
export function parseLabelsCsv(text: Buffer | string): Map<string, PatientLabel> {
  const rows = parseCsv(text);
  const labels = new Map<string, PatientLabel>();
  rows.forEach((row, i) => {
    const patient = row.patient_id ?? row.patient;
    const label = normalizeLabel(row.label ?? '');
    if (!patient) throw new Error(`labels CSV row ${i + 2}: no patient_id`);
    if (!label) throw new Error(`labels CSV row ${i + 2}: unknown label "${row.label}" (expected covid, negative or unknown)`);
    labels.set(patient.toLowerCase(), label);
  });
  return labels;
}
