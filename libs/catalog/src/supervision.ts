import type { PatientLabel, SupervisionKind } from '@lesionlab/contracts';

/**
 * What a slice can teach a model, derived from what is attached to it (never typed in):
 * a submitted or accepted mask beats a patient label; a negative patient's slices are negatives.
 */
export function deriveSupervision(hasMask: boolean, patientLabel: PatientLabel): SupervisionKind {
  if (hasMask) return 'pixel';
  if (patientLabel === 'covid') return 'patient';
  if (patientLabel === 'negative') return 'negative';
  return 'none';
}

const LABELS: PatientLabel[] = ['covid', 'negative', 'unknown'];

/**
 * The same rule as deriveSupervision, as a SQL expression for set-based updates: a slice that is
 * already 'pixel' stays so (the labels side owns that), otherwise its cohort decides.
 */
export function supervisionSql(cohortExpression: string, currentSupervisionExpression: string): string {
  const byCohort = LABELS.map((label) => `WHEN '${label}' THEN '${deriveSupervision(false, label)}'`).join(' ');
  return `CASE WHEN ${currentSupervisionExpression} = 'pixel' THEN 'pixel' ELSE CASE ${cohortExpression} ${byCohort} END END`;
}
