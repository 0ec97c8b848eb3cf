import type { SliceQuery } from '@lesionlab/contracts';

export type SliceFilters = Pick<SliceQuery, 'patient' | 'cohort' | 'supervision' | 'hasMask' | 'import'>;

/**
 * WHERE clauses over `slices s` for the catalog's filters; the review-state and lesion-area filters
 * of the labels side plug in here as further entries.
 */
export function filterClauses(filters: SliceFilters, values: unknown[]): string[] {
  const clauses: string[] = [];
  if (filters.patient) clauses.push(`s.patient_id = $${values.push(filters.patient)}`);
  if (filters.cohort) clauses.push(`s.cohort = $${values.push(filters.cohort)}`);
  if (filters.supervision) clauses.push(`s.supervision = $${values.push(filters.supervision)}`);
  if (filters.import) clauses.push(`s.import_id = $${values.push(filters.import)}`);
  if (filters.hasMask !== undefined) clauses.push(`${filters.hasMask ? '' : 'NOT '}EXISTS (SELECT 1 FROM mask_revisions m WHERE m.slice_id = s.id)`);
  return clauses;
}

/** True when only the filters slice_counts is kept for are set. */
export function countsTableAnswers(filters: SliceFilters): boolean {
  return !filters.patient && !filters.import && filters.hasMask === undefined;
}
