import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';
import { insertBlobRows, storeBlob, type ObjectStorage } from '@lesionlab/platform';
import { ReleaseBuilder, ReleasesService } from '@lesionlab/releases';

const SIZE = 64;

/** A 64x64 grey slice: noise, with a bright square where the lesion is. */
async function slicePng(seed: number, lesion: { x: number; y: number; side: number } | null): Promise<Buffer> {
  const pixels = Buffer.alloc(SIZE * SIZE);
  let state = seed * 7919 + 1;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = 40 + (state % 60);
  }
  if (lesion) for (let y = lesion.y; y < lesion.y + lesion.side; y++) for (let x = lesion.x; x < lesion.x + lesion.side; x++) pixels[y * SIZE + x] = 220;
  return sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 1 } }).png().toBuffer();
}

export interface TinyRelease {
  releaseId: string;
  sliceIds: string[];
  negativeSliceIds: string[];
}

/**
 * A ready release of `patients` one-slice patients with real 64x64 PNGs in storage: two thirds covid
 * with an approved lesion mask each, the rest negative; split 60/20/20 by patient.
 */
export async function seedTinyRelease(dataSource: DataSource, storage: ObjectStorage, services: { releases: ReleasesService; builder: ReleaseBuilder }, patients = 10): Promise<TinyRelease> {
  const sliceIds: string[] = [];
  const negativeSliceIds: string[] = [];
  for (let n = 0; n < patients; n++) {
    const covid = n % 3 !== 2;
    const lesion = covid ? { x: 12 + n, y: 16, side: 14 } : null;
    const blob = await storeBlob(storage, await slicePng(n, lesion), 'image/png');
    await insertBlobRows(dataSource.manager, [blob]);
    const label = covid ? 'covid' : 'negative';
    const [patient] = await dataSource.query(`INSERT INTO patients (collection, external_id, label) VALUES ('tiny', $1, $2) RETURNING id`, [`p${n}`, label]);
    const [scan] = await dataSource.query(`INSERT INTO scans (patient_id, series_key) VALUES ($1, 's') RETURNING id`, [patient.id]);
    const [slice] = await dataSource.query(
      `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort, supervision)
       VALUES ($1, $2, 0, $3, $3, 8, $4, $5, $6) RETURNING id`,
      [scan.id, patient.id, SIZE, blob.sha256, label, covid ? 'pixel' : 'negative'],
    );
    if (lesion) {
      const mask = createEmptyMask(SIZE, SIZE);
      for (let y = lesion.y; y < lesion.y + lesion.side; y++) for (let x = lesion.x; x < lesion.x + lesion.side; x++) mask.data[y * SIZE + x] = 1;
      await dataSource.query(
        `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, state) VALUES ($1, $2, $2, $3, $4, 'import:tiny', 'import', 'approved')`,
        [slice.id, SIZE, encodeCocoRle(mask).counts, lesion.side ** 2],
      );
    } else {
      negativeSliceIds.push(slice.id);
    }
    sliceIds.push(slice.id);
  }
  const release = await services.releases.create({
    name: 'tiny',
    description: '',
    selection: { collections: ['tiny'] },
    ratios: { train: 60, val: 20, test: 20 },
    seed: 'tiny',
    stratifyBy: ['patient-label'],
    labelPolicy: 'accepted',
    pinned: {},
    keepNearDuplicatesTogether: false,
  });
  await services.builder.build(release.id);
  return { releaseId: release.id, sliceIds, negativeSliceIds };
}
