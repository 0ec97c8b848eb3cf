import { Injectable } from '@nestjs/common';
import type { ImportedMask, ImportedMaskRecorder } from '@lesionlab/catalog';
import { DEFAULT_MASK_CLASS, type QualityWarning } from '@lesionlab/contracts';
import { MaskFormatError, parseCocoRle, type CocoRle, type RleMask } from '@lesionlab/mask';
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
    const contexts = await this.revisions.sliceContexts([...new Set(masks.map((m) => m.sliceId))], DEFAULT_MASK_CLASS);
    const prepared: PreparedImport[] = [];
    for (const imported of masks) {
      const slice = contexts.get(imported.sliceId);
      if (!slice) throw new NotFoundError(`imported mask names no slice ${imported.sliceId}`);
      let mask: RleMask;
      try {
        mask = parseCocoRle(imported.rle, slice);
      } catch (error) {
        if (error instanceof MaskFormatError) throw new MaskFormatError(`imported mask of slice ${imported.sliceId}: ${error.message}`);
        throw error;
      }
      const facts = deriveMaskFacts(mask, await this.lungFields.forSlice(slice, imported.pixels), slice.pixelSpacingMm);
      const warnings = qualityWarnings(facts, { negativePatient: slice.cohort === 'negative', expectsLesion: false });
      // the string passed validation: stored as the importer encoded it
      prepared.push({ slice, rle: imported.rle, facts, warnings });
    }

    return this.revisions.transaction(async (manager) => {
      const sliceIds = prepared.map((p) => p.slice.sliceId);
      const locked = await this.revisions.lockSlices(manager, sliceIds);
      const gone = sliceIds.find((id) => !locked.has(id));
      if (gone) throw new NotFoundError(`imported mask names no slice ${gone}`);
      const created = await this.revisions.insertImported(
        manager,
        prepared.map(({ slice, rle, facts, warnings }) => ({
          revision: {
            sliceId: slice.sliceId,
            class: DEFAULT_MASK_CLASS,
            height: rle.size[0],
            width: rle.size[1],
            rleCounts: rle.counts,
            area: facts.areaPx,
            author: `import:${importId}`,
            source: 'import' as const,
            parentId: null,
            state: 'approved' as const,
            reviewComment: null,
            reviewedBy: null,
            conflictWith: null,
            importId,
          },
          facts,
          warnings,
        })),
      );
      await this.revisions.recordMasks(manager, sliceIds);
      return created;
    });
  }
}
