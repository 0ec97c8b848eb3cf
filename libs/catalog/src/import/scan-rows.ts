import type { EntityManager } from 'typeorm';
import type { ImportedSlice } from './imported-slice';

export interface ScanKey {
  patientId: string;
  scan: ImportedSlice['scan'];
}

/** Creates the scans a batch names (once per patient and series key); returns their ids by `patientId#seriesKey`. */
export async function ensureScans(manager: EntityManager, scans: ScanKey[]): Promise<Map<string, string>> {
  const unique = [...new Map(scans.map((s) => [`${s.patientId}#${s.scan.seriesKey}`, s])).values()];
  const values: unknown[] = [];
  const rows = unique.map(({ patientId, scan }) => {
    const fields = [patientId, scan.seriesKey, scan.studyUid ?? null, scan.seriesUid ?? null, scan.sliceSpacingMm ?? null, scan.pixelSpacingMm ?? null, JSON.stringify(scan.metadata ?? {})];
    return `(${fields.map((value) => `$${values.push(value)}`).join(', ')}::jsonb)`;
  });
  await manager.query(
    `INSERT INTO scans (patient_id, series_key, study_uid, series_uid, slice_spacing_mm, pixel_spacing_mm, metadata) VALUES ${rows.join(', ')}
     ON CONFLICT (patient_id, series_key) DO NOTHING`,
    values,
  );
  const stored: { id: string; patient_id: string; series_key: string }[] = await manager.query(
    `SELECT s.id, s.patient_id, s.series_key FROM scans s
       JOIN unnest($1::uuid[], $2::text[]) AS k (patient_id, series_key) ON k.patient_id = s.patient_id AND k.series_key = s.series_key`,
    [unique.map((s) => s.patientId), unique.map((s) => s.scan.seriesKey)],
  );
  return new Map(stored.map((r) => [`${r.patient_id}#${r.series_key}`, r.id]));
}
