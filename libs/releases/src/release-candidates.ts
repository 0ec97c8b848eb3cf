import type { LabelPolicy, PatientLabel, SliceSelection, SupervisionKind } from './release-types';

/** One slice the selection takes, with the label revisions the policy chose for it. */
export interface ReleaseCandidate {
  sliceId: string;
  patientId: string;
  patientExternalId: string;
  patientUnknown: boolean;
  collection: string;
  label: PatientLabel;
  sliceIndex: number;
  width: number;
  height: number;
  pixelSha256: string;
  phash: bigint | null;
  maskRevisionId: string | null;
  maskCounts: string | null;
  maskArea: number | null;
  labelRevisionId: string | null;
}

export interface CandidateRow {
  slice_id: string;
  patient_id: string;
  external_id: string;
  patient_unknown: boolean;
  collection: string;
  label: PatientLabel;
  slice_index: number;
  width: number;
  height: number;
  pixel_blob: string;
  phash: string | null;
  mask_revision_id: string | null;
  rle_counts: string | null;
  mask_area: number | null;
  label_revision_id: string | null;
}

/**
 * States of a revision each policy accepts: `accepted` takes the newest approved revision;
 * `latest-submitted` the newest that is approved or submitted and not rejected (a review decision is a
 * child revision, so a rejected submission keeps its `submitted` row). A rejected revision is never taken.
 */
const POLICY_STATES: Record<LabelPolicy, string[]> = {
  accepted: ['approved'],
  'latest-submitted': ['submitted', 'approved'],
};

/** `r` has not been rejected: no rejection names it as parent (labels' views publish `parent_id` for this). */
const notRejected = (table: 'mask_revision_rles' | 'patient_label_revisions') =>
  `NOT EXISTS (SELECT 1 FROM ${table} d WHERE d.parent_id = r.id AND d.state = 'rejected')`;

/** The SQL (and its parameters) that lists a selection's slices with the revisions the policy picks. */
export function candidateQuery(selection: SliceSelection, policy: LabelPolicy): { sql: string; params: unknown[] } {
  const params: unknown[] = [POLICY_STATES[policy]];
  const where: string[] = [];
  const filter = (column: string, values: unknown[] | undefined, cast: string) => {
    if (values?.length) where.push(`${column} = ANY($${params.push(values)}::${cast}[])`);
  };
  filter('s.collection', selection.collections, 'text');
  filter('s.cohort', selection.cohorts, 'text');
  filter('s.supervision', selection.supervision, 'text');
  filter('s.import_id', selection.importIds, 'uuid');
  filter('s.patient_id', selection.patientIds, 'uuid');
  const sql = `
    WITH chosen_masks AS (
      SELECT DISTINCT ON (slice_id) slice_id, id, rle_counts, area
        FROM mask_revision_rles r
       WHERE class = 'opacification' AND state = ANY($1::text[]) AND ${notRejected('mask_revision_rles')}
       ORDER BY slice_id, created_at DESC, id DESC
    ), chosen_labels AS (
      SELECT DISTINCT ON (patient_id) patient_id, id
        FROM patient_label_revisions r
       WHERE state = ANY($1::text[]) AND ${notRejected('patient_label_revisions')}
       ORDER BY patient_id, created_at DESC, id DESC
    )
    SELECT s.id AS slice_id, s.patient_id, s.patient_external_id AS external_id, s.patient_unknown,
           s.collection, s.patient_label AS label, s.slice_index, s.width, s.height, s.pixel_blob, s.phash::text AS phash,
           m.id AS mask_revision_id, m.rle_counts, m.area AS mask_area, l.id AS label_revision_id
      FROM slice_facts s
      LEFT JOIN chosen_masks m ON m.slice_id = s.id
      LEFT JOIN chosen_labels l ON l.patient_id = s.patient_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  return { sql, params };
}

export function toCandidate(row: CandidateRow): ReleaseCandidate {
  return {
    sliceId: row.slice_id,
    patientId: row.patient_id,
    patientExternalId: row.external_id,
    patientUnknown: row.patient_unknown,
    collection: row.collection,
    label: row.label,
    sliceIndex: row.slice_index,
    width: row.width,
    height: row.height,
    pixelSha256: row.pixel_blob.trim(),
    phash: row.phash === null ? null : BigInt(row.phash),
    maskRevisionId: row.mask_revision_id,
    maskCounts: row.rle_counts,
    maskArea: row.mask_area,
    labelRevisionId: row.label_revision_id,
  };
}

/** What a slice teaches in this release: decided by the revisions the release uses, not by today's catalog. */
export function releaseSupervision(candidate: Pick<ReleaseCandidate, 'maskRevisionId' | 'label'>): SupervisionKind {
  if (candidate.maskRevisionId) return 'pixel';
  if (candidate.label === 'covid') return 'patient';
  if (candidate.label === 'negative') return 'negative';
  return 'none';
}
