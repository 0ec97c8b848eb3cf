import type { PatientLabel, SupervisionKind } from '@lesionlab/contracts';

/**
 * What a slice can teach a model, derived from what is attached to it (never typed in):
 * a submitted or accepted mask beats a patient label; a negative patient's slices are negatives.
 * The database's slice_supervision (migrations/definitions/slice-supervision.sql) is the same rule for
 * rows already stored; this one gives new rows their supervision as an import builds them.
 */
export function deriveSupervision(hasMask: boolean, patientLabel: PatientLabel): SupervisionKind {
  if (hasMask) return 'pixel';
  if (patientLabel === 'covid') return 'patient';
  if (patientLabel === 'negative') return 'negative';
  return 'none';
}
