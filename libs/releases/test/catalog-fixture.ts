import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';

export interface FixturePatient {
  id: string;
  label: 'covid' | 'negative' | 'unknown';
  unknown: boolean;
  sliceIds: string[];
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A lesion as a square of `side` pixels at (x, y), in COCO RLE. */
export function squareMaskCounts(width: number, height: number, x: number, y: number, side: number): { counts: string; area: number } {
  const mask = createEmptyMask(width, height);
  for (let j = y; j < y + side; j++) for (let i = x; i < x + side; i++) mask.data[j * width + i] = 1;
  return { counts: encodeCocoRle(mask).counts, area: side * side };
}

/** One 64x64 slice (and its approved imported mask revision, when given); its id. */
async function insertSlice(
  dataSource: DataSource,
  slice: { scanId: string; patientId: string; label: FixturePatient['label']; supervision: string; key: string; index: number; mask: { counts: string; area: number } | null },
): Promise<string> {
  const blob = sha(`pixels-${slice.key}`);
  await dataSource.query(`INSERT INTO blobs (sha256, size, media_type, storage_key) VALUES ($1, 1, 'image/png', $2)`, [blob, `blobs/${blob}`]);
  const [row] = await dataSource.query(
    `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort, supervision, phash)
     VALUES ($1, $2, $3, 64, 64, 8, $4, $5, $6, $7) RETURNING id`,
    [slice.scanId, slice.patientId, slice.index, blob, slice.label, slice.supervision, String(BigInt.asIntN(64, BigInt(`0x${sha(`hash-${slice.key}`).slice(0, 16)}`)))],
  );
  if (slice.mask) {
    await dataSource.query(
      `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, state) VALUES ($1, 64, 64, $2, $3, 'import:fixture', 'import', 'approved')`,
      [row.id, slice.mask.counts, slice.mask.area],
    );
  }
  return row.id;
}

/** Per slice of a seeded patient: an approved lesion mask, an approved empty mask, or none. */
export type FixtureSliceMask = 'lesion' | 'empty' | null;

/**
 * One patient of `collection` whose slices carry the masks listed (one slice per entry); `unknown`
 * flags it as the one-slice patient of a file without a patient id.
 */
export async function seedPatient(
  dataSource: DataSource,
  patient: { collection: string; externalId: string; label: FixturePatient['label']; unknown?: boolean; masks: FixtureSliceMask[] },
): Promise<FixturePatient> {
  const unknown = patient.unknown ?? false;
  const [row] = await dataSource.query(`INSERT INTO patients (collection, external_id, label, metadata) VALUES ($1, $2, $3, $4) RETURNING id`, [
    patient.collection,
    patient.externalId,
    patient.label,
    JSON.stringify(unknown ? { patientUnknown: true } : {}),
  ]);
  const [scan] = await dataSource.query(`INSERT INTO scans (patient_id, series_key) VALUES ($1, 's') RETURNING id`, [row.id]);
  const sliceIds: string[] = [];
  for (const [index, kind] of patient.masks.entries()) {
    const mask = kind === 'lesion' ? squareMaskCounts(64, 64, 10, 10, 8 + index) : kind === 'empty' ? { counts: encodeCocoRle(createEmptyMask(64, 64)).counts, area: 0 } : null;
    const supervision = mask ? 'pixel' : patient.label === 'covid' ? 'patient' : patient.label === 'negative' ? 'negative' : 'none';
    const key = `${patient.collection}/${patient.externalId}-${index}`;
    sliceIds.push(await insertSlice(dataSource, { scanId: scan.id, patientId: row.id, label: patient.label, supervision, key, index, mask }));
  }
  return { id: row.id, label: patient.label, unknown, sliceIds };
}

/**
 * A small catalog written with SQL: covid patients with approved masks on some slices, covid patients
 * with the label only, negatives, and slices of unknown patients (one patient row each, flagged).
 */
export async function seedCatalog(
  dataSource: DataSource,
  counts: { masked: number; labelOnly: number; negative: number; unknown: number; slicesPerPatient: number },
): Promise<FixturePatient[]> {
  const patients: FixturePatient[] = [];
  const kinds: Array<['covid' | 'negative' | 'unknown', boolean, number, boolean]> = [
    ['covid', true, counts.masked, false],
    ['covid', false, counts.labelOnly, false],
    ['negative', false, counts.negative, false],
    ['unknown', false, counts.unknown, true],
  ];
  let n = 0;
  for (const [label, masked, howMany, unknown] of kinds) {
    for (let p = 0; p < howMany; p++, n++) {
      const [patient] = await dataSource.query(
        `INSERT INTO patients (collection, external_id, label, metadata) VALUES ('fixture', $1, $2, $3) RETURNING id`,
        [`patient-${n}`, label, JSON.stringify(unknown ? { patientUnknown: true } : {})],
      );
      const [scan] = await dataSource.query(`INSERT INTO scans (patient_id, series_key) VALUES ($1, 's') RETURNING id`, [patient.id]);
      const sliceIds: string[] = [];
      const perPatient = unknown ? 1 : counts.slicesPerPatient;
      for (let s = 0; s < perPatient; s++) {
        const supervision = masked && s % 2 === 0 ? 'pixel' : label === 'covid' ? 'patient' : label === 'negative' ? 'negative' : 'none';
        const mask = supervision === 'pixel' ? squareMaskCounts(64, 64, 10 + s, 10, 8 + s) : null;
        sliceIds.push(await insertSlice(dataSource, { scanId: scan.id, patientId: patient.id, label, supervision, key: `${n}-${s}`, index: s, mask }));
      }
      patients.push({ id: patient.id, label, unknown, sliceIds });
    }
  }
  return patients;
}
