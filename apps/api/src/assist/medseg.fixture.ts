import fs from 'node:fs/promises';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportRunner, ImportsRepository } from '@lesionlab/catalog';
import { decodeCocoRle, type BinaryMask } from '@lesionlab/mask';

/** The repository root; the real CT data lies beside it (never in it). */
export const ROOT = path.resolve(__dirname, '../../../..');
export const SHARED_DATA = path.resolve(ROOT, '../shared/data');
export const MEDSEG_MANIFEST = path.join(SHARED_DATA, 'medseg-ct100/manifest.csv');
/** Where `npm start` / `npm test` export LiteMedSAM (ASSIST_MODELS_DIR's default, made absolute for tests). */
export const ASSIST_MODELS_DIR = path.join(ROOT, '.tools/assist');

export interface MedsegSlice {
  sliceId: string;
  sourceName: string;
  /** The ground truth the import recorded. */
  truth: BinaryMask;
}

export const medsegPresent = () => fs.access(MEDSEG_MANIFEST).then(() => true, () => false);

/** Imports the 50 medseg-ct100 slices with their masks (the catalog's own runner) and returns them in manifest order. */
export async function importMedseg(app: INestApplication): Promise<MedsegSlice[]> {
  const imports = app.get(ImportsRepository);
  const row = await imports.create('manifest', MEDSEG_MANIFEST, { source: { kind: 'path', path: MEDSEG_MANIFEST }, maskThreshold: 1, label: 'covid' });
  await app.get(ImportRunner).run(row.id);
  const rows: Array<{ id: string; source_name: string; rle_counts: string; width: number; height: number }> = await app.get(DataSource).query(
    `SELECT s.id, s.source_name, m.rle_counts, m.width, m.height FROM slices s JOIN mask_revisions m ON m.slice_id = s.id
      WHERE s.import_id = $1 ORDER BY s.source_name`,
    [row.id],
  );
  return rows.map((r) => ({ sliceId: r.id, sourceName: r.source_name, truth: decodeCocoRle({ size: [r.height, r.width], counts: r.rle_counts }) }));
}
