export type PatientLabel = 'covid' | 'negative' | 'unknown';
export type SupervisionKind = 'pixel' | 'patient' | 'negative' | 'none';

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
