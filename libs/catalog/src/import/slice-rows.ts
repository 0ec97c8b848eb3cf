import type { EntityManager } from 'typeorm';
import type { PatientLabel, SupervisionKind } from '@lesionlab/contracts';

export interface SliceRow {
  scanId: string;
  patientId: string;
  sliceIndex: number;
  width: number;
  height: number;
  bitDepth: 8 | 16;
  pixelRepresentation: 0 | 1;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  pixelBlob: string;
  thumbnailBlob: string | null;
  originalBlob: string | null;
  sourceName: string | null;
  cohort: PatientLabel;
  supervision: SupervisionKind;
  importId: string | null;
  /** The difference hash of the pixels, for near-duplicate detection in releases. */
  phash: bigint;
}

const COLUMNS = [
  'scan_id', 'patient_id', 'slice_index', 'width', 'height', 'bit_depth', 'pixel_representation', 'rescale_slope', 'rescale_intercept',
  'window_center', 'window_width', 'pixel_blob', 'thumbnail_blob', 'original_blob', 'source_name', 'cohort', 'supervision', 'import_id', 'phash',
] as const;

export interface InsertedSlice {
  id: string;
  scanId: string;
  sliceIndex: number;
}

/**
 * Inserts slice rows with one multi-row INSERT; rows whose (scan, index) already exists are skipped.
 * Returns the rows that were new.
 */
export async function insertSliceRows(manager: EntityManager, rows: SliceRow[]): Promise<InsertedSlice[]> {
  if (!rows.length) return [];
  const values: unknown[] = [];
  const tuples = rows.map((r) => {
    const fields = [r.scanId, r.patientId, r.sliceIndex, r.width, r.height, r.bitDepth, r.pixelRepresentation, r.rescaleSlope, r.rescaleIntercept,
      r.windowCenter, r.windowWidth, r.pixelBlob, r.thumbnailBlob, r.originalBlob, r.sourceName, r.cohort, r.supervision, r.importId, r.phash.toString()];
    return `(${fields.map((value) => `$${values.push(value)}`).join(', ')})`;
  });
  const inserted: { id: string; scan_id: string; slice_index: number }[] = await manager.query(
    `INSERT INTO slices (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
     ON CONFLICT (scan_id, slice_index) DO NOTHING RETURNING id, scan_id, slice_index`,
    values,
  );
  return inserted.map((r) => ({ id: r.id, scanId: r.scan_id, sliceIndex: r.slice_index }));
}

/** The ids of slices by (scan, index). */
export async function findSliceIds(manager: EntityManager, keys: { scanId: string; sliceIndex: number }[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const rows: { id: string; scan_id: string; slice_index: number }[] = await manager.query(
    `SELECT s.id, s.scan_id, s.slice_index FROM slices s
       JOIN unnest($1::uuid[], $2::int[]) AS k (scan_id, slice_index) ON k.scan_id = s.scan_id AND k.slice_index = s.slice_index`,
    [keys.map((k) => k.scanId), keys.map((k) => k.sliceIndex)],
  );
  return new Map(rows.map((r) => [sliceKey(r.scan_id, r.slice_index), r.id]));
}

export function sliceKey(scanId: string, sliceIndex: number): string {
  return `${scanId}#${sliceIndex}`;
}
