import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PatientLabel } from '@lesionlab/contracts';
import { insertBlobRows, OBJECT_STORAGE, storeBlob, type BlobRow, type ObjectStorage } from '@lesionlab/platform';
import { PatientsRepository } from '../patients.repository';
import { IMPORTED_MASK_RECORDER, type ImportedMask, type ImportedMaskRecorder } from '../ports/imported-mask-recorder';
import { deriveSupervision } from '../supervision';
import type { EncodedImportedSlice } from './imported-slice';
import { mapLimit } from './map-limit';
import { ensureScans } from './scan-rows';
import { findSliceIds, insertSliceRows, sliceKey, type SliceRow } from './slice-rows';

/** An encoded slice with its patient's label settled (labels CSV > source > default). */
export interface LabelledSlice extends EncodedImportedSlice {
  patientLabel: PatientLabel;
  labelSource: string | null;
}

export interface BatchResult {
  imported: number;
  duplicates: number;
  /** Masks handed to the recorder that became new revisions. */
  masks: number;
  /** Masks found that no recorder could take (no labels module in this process). */
  masksUnrecorded: number;
}

/**
 * Stores a batch of encoded slices: blobs first (pixels as PNG, a thumbnail, the original when
 * converted), then in one transaction the patients, scans and slice rows (multi-row INSERTs that
 * skip what exists), then the masks through the ImportedMaskRecorder port.
 */
@Injectable()
export class SliceBatchWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly patients: PatientsRepository,
    @Optional() @Inject(IMPORTED_MASK_RECORDER) private readonly recorder: ImportedMaskRecorder | null,
  ) {}

  async write(slices: LabelledSlice[], collection: string, importId: string): Promise<BatchResult> {
    if (!slices.length) return { imported: 0, duplicates: 0, masks: 0, masksUnrecorded: 0 };
    const stored = await mapLimit(slices, 6, async ({ encoded, original }) => {
      const [pixels, thumbnail, originalBlob] = await Promise.all([
        storeBlob(this.storage, encoded.pixelsPng, 'image/png'),
        storeBlob(this.storage, encoded.thumbnailPng, 'image/png'),
        original ? storeBlob(this.storage, original.bytes, original.mediaType) : null,
      ]);
      return { pixels, thumbnail, original: originalBlob };
    });
    const blobs = stored.flatMap((s) => [s.pixels, s.thumbnail, s.original].filter((b): b is BlobRow => b !== null));

    const { rows, inserted, ids } = await this.dataSource.transaction(async (manager) => {
      await insertBlobRows(manager, blobs);
      const patientKeys = [...new Map(slices.map((s) => [s.patient.externalId, s])).values()].map((s) => ({
        externalId: s.patient.externalId,
        label: s.patientLabel,
        labelSource: s.labelSource,
        metadata: s.patient.metadata ?? {},
      }));
      const patients = await this.patients.ensure(manager, collection, patientKeys);
      const scans = await ensureScans(manager, slices.map((s) => ({ patientId: patients.get(s.patient.externalId)!.id, scan: s.scan })));
      const rows: SliceRow[] = slices.map((s, i) => {
        const patient = patients.get(s.patient.externalId)!;
        return {
          scanId: scans.get(`${patient.id}#${s.scan.seriesKey}`)!,
          patientId: patient.id,
          sliceIndex: s.sliceIndex,
          width: s.image.width,
          height: s.image.height,
          bitDepth: s.image.bitDepth,
          pixelRepresentation: s.image.pixelRepresentation,
          rescaleSlope: s.rescaleSlope,
          rescaleIntercept: s.rescaleIntercept,
          windowCenter: s.window?.center ?? null,
          windowWidth: s.window?.width ?? null,
          pixelBlob: stored[i].pixels.sha256,
          thumbnailBlob: stored[i].thumbnail.sha256,
          originalBlob: stored[i].original?.sha256 ?? null,
          sourceName: s.sourceName,
          cohort: patient.label,
          supervision: deriveSupervision(false, patient.label),
          importId,
          phash: s.encoded.phash,
        };
      });
      const inserted = await insertSliceRows(manager, rows);
      const withMasks = rows.filter((_, i) => slices[i].mask);
      const ids = withMasks.length ? await findSliceIds(manager, withMasks) : new Map<string, string>();
      return { rows, inserted, ids };
    });

    const masks: ImportedMask[] = [];
    slices.forEach((s, i) => {
      const id = ids.get(sliceKey(rows[i].scanId, rows[i].sliceIndex));
      if (s.mask && id) masks.push({ sliceId: id, rle: s.mask, pixels: s.image.data });
    });
    const recorded = masks.length && this.recorder ? await this.recorder.recordImportedMasks(masks, importId) : 0;
    return {
      imported: inserted.length,
      duplicates: slices.length - inserted.length,
      masks: recorded,
      masksUnrecorded: this.recorder ? 0 : masks.length,
    };
  }
}
