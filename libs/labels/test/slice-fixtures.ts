import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { PIXELS_MEDIA_TYPE } from '@lesionlab/contracts';
import { putContentAddressed, type ObjectStorage } from '@lesionlab/platform';

export interface SliceFixtureOptions {
  width?: number;
  height?: number;
  cohort?: 'covid' | 'negative' | 'unknown';
  pixelSpacingMm?: [number, number] | null;
  /** raw stored values, a PNG, or a blob row whose object was never written. */
  image?: 'raw' | 'png' | 'missing';
  /** Another slice of that slice's scan (default: a new patient and scan), at `sliceIndex`. */
  sameScanAs?: SliceFixture;
  sliceIndex?: number;
}

export interface SliceFixture {
  sliceId: string;
  patientId: string;
  scanId: string;
  width: number;
  height: number;
}

/**
 * A synthetic axial chest slice, 8-bit: black air around a bright body ellipse holding two dark lung
 * ellipses centred at 32% and 68% of the width (the patient's right lung is on the image's left)
 * spanning 30%–70% of the height.
 */
export function syntheticChest(width: number, height: number): Uint8Array {
  const pixels = new Uint8Array(width * height);
  const inside = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
    ((x + 0.5) / width - cx) ** 2 / rx ** 2 + ((y + 0.5) / height - cy) ** 2 / ry ** 2 <= 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let value = 0;
      if (inside(x, y, 0.5, 0.5, 0.44, 0.36)) value = 170;
      if (inside(x, y, 0.32, 0.5, 0.13, 0.2) || inside(x, y, 0.68, 0.5, 0.13, 0.2)) value = 25;
      pixels[y * width + x] = value;
    }
  }
  return pixels;
}

/** Inserts a patient, a scan, the slice's pixel blob (written to storage) and the slice itself. */
export async function createSliceFixture(dataSource: DataSource, storage: ObjectStorage, options: SliceFixtureOptions = {}): Promise<SliceFixture> {
  const width = options.width ?? 128;
  const height = options.height ?? 128;
  const cohort = options.cohort ?? 'covid';
  const pixels = syntheticChest(width, height);
  const png = options.image === 'png';
  const bytes = png ? await sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer() : Buffer.from(pixels);
  const mediaType = png ? 'image/png' : PIXELS_MEDIA_TYPE;
  let sha256: string;
  let key: string;
  if (options.image === 'missing') {
    sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
    key = `blobs/missing/${sha256}`;
  } else {
    ({ sha256, key } = await putContentAddressed(storage, bytes, mediaType));
  }
  await dataSource.query(
    'INSERT INTO blobs (sha256, size, media_type, storage_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [sha256, bytes.length, mediaType, key],
  );
  const [patient] = options.sameScanAs
    ? [{ id: options.sameScanAs.patientId }]
    : await dataSource.query("INSERT INTO patients (collection, external_id, label) VALUES ('fixture', $1, $2) RETURNING id", [randomUUID(), cohort]);
  const [scan] = options.sameScanAs
    ? [{ id: options.sameScanAs.scanId }]
    : await dataSource.query(
        "INSERT INTO scans (patient_id, series_key, pixel_spacing_mm) VALUES ($1, 'series', $2) RETURNING id",
        [patient.id, options.pixelSpacingMm === undefined ? [0.7, 0.7] : options.pixelSpacingMm],
      );
  const supervision = cohort === 'covid' ? 'patient' : cohort === 'negative' ? 'negative' : 'none';
  const [slice] = await dataSource.query(
    `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort, supervision)
     VALUES ($1, $2, $8, $3, $4, 8, $5, $6, $7) RETURNING id`,
    [scan.id, patient.id, width, height, sha256, cohort, supervision, options.sliceIndex ?? 0],
  );
  return { sliceId: slice.id, patientId: patient.id, scanId: scan.id, width, height };
}

export async function createImportFixture(dataSource: DataSource): Promise<string> {
  const [row] = await dataSource.query("INSERT INTO imports (source, format) VALUES ('fixture', 'images') RETURNING id");
  return row.id;
}

/** A filled ellipse mask (row-major 0/1) — a stand-in for a painted lesion. */
export function ellipseMask(width: number, height: number, cx: number, cy: number, rx: number, ry: number): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((x - cx) ** 2 / rx ** 2 + (y - cy) ** 2 / ry ** 2 <= 1) data[y * width + x] = 1;
    }
  }
  return data;
}
