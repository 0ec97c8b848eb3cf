import { Injectable } from '@nestjs/common';
import { DEFAULT_MASK_CLASS, type CocoRle } from '@lesionlab/contracts';
import { deriveMaskFacts, LungFields, MaskRevisionsRepository, NotFoundError, qualityWarnings } from '@lesionlab/labels';
import { decodeRleCounts, encodeCocoRle, parseCocoRle } from '@lesionlab/mask';
import { PredictionBatchesRepository, type SlicePrediction } from './prediction-batches.repository';

export interface ModelMask {
  sliceId: string;
  rle: CocoRle;
  covidProbability: number | null;
  uncertainty: number | null;
  gradcamSha256: string | null;
}

/**
 * Stores a model's mask for a slice as a `model`-authored **draft** revision (with its derived facts
 * and warnings, like every revision) and the batch's per-slice outputs, in one transaction.
 * Annotators see it in the slice's history and accept or correct it.
 */
@Injectable()
export class ModelDrafts {
  constructor(
    private readonly revisions: MaskRevisionsRepository,
    private readonly batches: PredictionBatchesRepository,
    private readonly lungFields: LungFields,
  ) {}

  async record(batchId: string, author: string, prediction: ModelMask): Promise<SlicePrediction> {
    const slice = await this.revisions.sliceContext(prediction.sliceId, DEFAULT_MASK_CLASS);
    if (!slice) throw new NotFoundError(`no slice ${prediction.sliceId}`);
    const mask = parseCocoRle(prediction.rle, slice);
    const facts = deriveMaskFacts(mask, await this.lungFields.forSlice(slice), slice.pixelSpacingMm);
    const warnings = qualityWarnings(facts, { negativePatient: slice.cohort === 'negative', expectsLesion: slice.expectsLesion });
    const rle = encodeCocoRle(decodeRleCounts(mask.counts, mask.width, mask.height));
    return this.revisions.transaction(async (manager) => {
      if (!(await this.revisions.lockSlice(manager, slice.sliceId))) throw new NotFoundError(`no slice ${slice.sliceId}`);
      const saved = await this.revisions.insert(
        manager,
        {
          sliceId: slice.sliceId,
          class: DEFAULT_MASK_CLASS,
          height: rle.size[0],
          width: rle.size[1],
          rleCounts: rle.counts,
          area: facts.areaPx,
          author,
          source: 'model',
          parentId: null,
          state: 'draft',
          reviewComment: null,
          reviewedBy: null,
          conflictWith: null,
          importId: null,
        },
        facts,
        warnings,
      );
      const output: SlicePrediction = {
        sliceId: slice.sliceId,
        revisionId: saved.revision.id,
        covidProbability: prediction.covidProbability,
        uncertainty: prediction.uncertainty,
        gradcamSha256: prediction.gradcamSha256,
      };
      await this.batches.record(manager, batchId, output);
      return output;
    });
  }
}
