import { Injectable } from '@nestjs/common';
import type { ImportedMask, ImportedMaskRecorder } from '@lesionlab/catalog/src/ports/imported-mask-recorder';
import { deriveSupervision } from '@lesionlab/catalog/src/supervision';
import { DEFAULT_MASK_CLASS, type QualityWarning } from '@lesionlab/contracts';
import { decodeCocoRle, encodeCocoRle, MaskFormatError, type BinaryMask, type CocoRle } from '@lesionlab/mask';
import { NotFoundError } from '../errors';
import { deriveMaskFacts, type DerivedMaskFacts } from '../facts/lesion-facts';
import { LungFields } from '../facts/lung-fields';
import { qualityWarnings } from '../facts/quality-warnings';
import { MaskRevisionsRepository, type MaskSliceContext } from './mask-revisions.repository';

interface PreparedImport {
  slice: MaskSliceContext;
  rle: CocoRle;
  facts: DerivedMaskFacts;
  warnings: QualityWarning[];
}

/**
 * The catalog's IMPORTED_MASK_RECORDER: each imported mask becomes the slice's `import` revision
 * (author `import:<importId>`, state `approved`: dataset ground truth), with its derived facts, and
 * the slice's supervision becomes pixel. A slice has at most one import revision per class (a partial
 * unique index), so importing again adds nothing. Every mask is checked before any is stored.
 */
@Injectable()
export class RecordImportedMasksUseCase implements ImportedMaskRecorder {
  constructor(
    private readonly revisions: MaskRevisionsRepository,
    private readonly lungFields: LungFields,
  ) {}

  async recordImportedMasks(masks: ImportedMask[], importId: string): Promise<number> {
    const prepared: PreparedImport[] = [];
    for (const imported of masks) {
      const slice = await this.revisions.sliceContext(imported.sliceId, DEFAULT_MASK_CLASS);
      if (!slice) throw new NotFoundError(`imported mask names no slice ${imported.sliceId}`);
      let mask: BinaryMask;
      try {
        mask = decodeCocoRle(imported.rle, slice);
      } catch (error) {
        if (error instanceof MaskFormatError) throw new MaskFormatError(`imported mask of slice ${imported.sliceId}: ${error.message}`);
        throw error;
      }
      const facts = deriveMaskFacts(mask, await this.lungFields.forSlice(slice), slice.pixelSpacingMm);
      const warnings = qualityWarnings(facts, { negativePatient: slice.cohort === 'negative', expectsLesion: false });
      prepared.push({ slice, rle: encodeCocoRle(mask), facts, warnings });
    }

    // One lock order for every import, so two imports sharing slices cannot deadlock.
    prepared.sort((a, b) => (a.slice.sliceId < b.slice.sliceId ? -1 : a.slice.sliceId > b.slice.sliceId ? 1 : 0));
    return this.revisions.transaction(async (manager) => {
      let created = 0;
      for (const { slice, rle, facts, warnings } of prepared) {
        const locked = await this.revisions.lockSlice(manager, slice.sliceId);
        if (!locked) throw new NotFoundError(`imported mask names no slice ${slice.sliceId}`);
        const isNew = await this.revisions.insertImported(
          manager,
          {
            sliceId: slice.sliceId,
            class: DEFAULT_MASK_CLASS,
            height: rle.size[0],
            width: rle.size[1],
            rleCounts: rle.counts,
            area: facts.areaPx,
            author: `import:${importId}`,
            source: 'import',
            parentId: null,
            state: 'approved',
            reviewComment: null,
            reviewedBy: null,
            conflictWith: null,
            importId,
          },
          facts,
          warnings,
        );
        if (isNew) created++;
        await this.revisions.setSupervision(manager, slice.sliceId, deriveSupervision(true, locked.cohort));
      }
      return created;
    });
  }
}
