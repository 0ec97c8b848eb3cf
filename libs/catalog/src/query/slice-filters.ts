import type { SliceQuery } from '@lesionlab/contracts';

export type SliceFilters = Pick<SliceQuery, 'patient' | 'cohort' | 'supervision' | 'hasMask' | 'import' | 'reviewState' | 'minLesionAreaPx' | 'maxLesionAreaPx'>;

/*
 * Masks and their review states are labels' data: these read the view labels publishes,
 * mask_revision_rles, which PostgreSQL inlines, so the plans and indexes are those of labels'
 * mask_revisions table.
 */

/**
 * Each slice's newest non-draft mask revision (any class): its `state` is the slice's review state
 * (SLICE_REVIEW_STATES); a slice absent here has review state `none`. Drafts are an annotator's
 * private work in progress and never count. Read in slice_id order from the partial index
 * mask_revisions_reviewed_idx, so a semi-join with slices can stream in id order.
 */
export const LATEST_REVIEWED_REVISIONS = `(SELECT DISTINCT ON (slice_id) slice_id, state FROM mask_revision_rles WHERE state <> 'draft'
  ORDER BY slice_id, created_at DESC, id DESC)`;

/** The review state of `slices s`, for the select list: one probe of mask_revisions_reviewed_idx. */
export const REVIEW_STATE_OF_SLICE = `coalesce((SELECT m.state FROM mask_revision_rles m WHERE m.slice_id = s.id AND m.state <> 'draft'
  ORDER BY m.created_at DESC, m.id DESC LIMIT 1), 'none')`;

/**
 * WHERE clauses over `slices s` for the catalog's filters.
 * - reviewState: see LATEST_REVIEWED_REVISIONS.
 * - minLesionAreaPx / maxLesionAreaPx (inclusive): the slice's lesion area is the sum of area_px over
 *   its accepted masks (accepted_mask_facts: the newest approved revision of each class); a slice
 *   without an accepted mask has no lesion area and is left out when either bound is set.
 */
export function filterClauses(filters: SliceFilters, values: unknown[]): string[] {
  const clauses: string[] = [];
  if (filters.patient) clauses.push(`s.patient_id = $${values.push(filters.patient)}`);
  if (filters.cohort) clauses.push(`s.cohort = $${values.push(filters.cohort)}`);
  if (filters.supervision) clauses.push(`s.supervision = $${values.push(filters.supervision)}`);
  if (filters.import) clauses.push(`s.import_id = $${values.push(filters.import)}`);
  if (filters.hasMask !== undefined) clauses.push(`${filters.hasMask ? '' : 'NOT '}EXISTS (SELECT 1 FROM mask_revision_rles m WHERE m.slice_id = s.id)`);
  if (filters.reviewState === 'none') clauses.push(`NOT EXISTS (SELECT 1 FROM mask_revision_rles m WHERE m.slice_id = s.id AND m.state <> 'draft')`);
  else if (filters.reviewState) clauses.push(`s.id IN (SELECT slice_id FROM ${LATEST_REVIEWED_REVISIONS} r WHERE r.state = $${values.push(filters.reviewState)})`);
  const bounds: string[] = [];
  if (filters.minLesionAreaPx !== undefined) bounds.push(`sum(a.area_px) >= $${values.push(filters.minLesionAreaPx)}`);
  if (filters.maxLesionAreaPx !== undefined) bounds.push(`sum(a.area_px) <= $${values.push(filters.maxLesionAreaPx)}`);
  if (bounds.length) clauses.push(`s.id IN (SELECT a.slice_id FROM accepted_mask_facts a GROUP BY a.slice_id HAVING ${bounds.join(' AND ')})`);
  return clauses;
}

/** True when only the filters slice_counts is kept for are set. */
export function countsTableAnswers(filters: SliceFilters): boolean {
  return !filters.patient && !filters.import && filters.hasMask === undefined && !filters.reviewState && filters.minLesionAreaPx === undefined && filters.maxLesionAreaPx === undefined;
}
