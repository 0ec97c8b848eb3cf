import { Injectable } from '@nestjs/common';
import { MAX_INTERPOLATION_GAP, type MaskOrigin, type MaskOriginClaim } from '@lesionlab/contracts';
import { decodeRleCounts, cocoStringToCounts, encodeCocoRle, interpolateBetween, MaskFormatError, parseCocoRle, type MaskSize } from '@lesionlab/mask';
import { InvalidOriginError } from '../errors';
import { MaskRevisionsRepository } from './mask-revisions.repository';

/** A line's start as stored: its origin and the draft it starts from (COCO counts; null without one). */
export interface ResolvedOrigin {
  origin: MaskOrigin;
  draftCounts: string | null;
}

/**
 * Turns what a save claims its mask started from into what is stored, recomputing what the server
 * can: a suggestion's mask and model are read from the model's revision, an interpolation is drawn
 * again from its two source revisions. Only an assist draft is taken from the client (after checking
 * it is a mask of the slice's size): the model's answer is not kept server-side.
 */
@Injectable()
export class MaskOriginResolver {
  constructor(private readonly revisions: MaskRevisionsRepository) {}

  async resolve(claim: MaskOriginClaim, target: { sliceId: string; class: string; size: MaskSize }): Promise<ResolvedOrigin> {
    switch (claim.kind) {
      case 'manual':
        return { origin: claim, draftCounts: null };
      case 'assist':
        return { origin: { kind: 'assist', model: claim.model, prompts: claim.prompts }, draftCounts: this.assistDraft(claim.draft, target.size) };
      case 'suggestion':
        return this.suggestion(claim.revisionId, target.sliceId);
      case 'interpolation':
        return this.interpolation(claim.sources, target);
    }
  }

  private assistDraft(draft: unknown, size: MaskSize): string {
    try {
      const parsed = parseCocoRle(draft, size);
      return encodeCocoRle(decodeRleCounts(parsed.counts, parsed.width, parsed.height)).counts;
    } catch (error) {
      if (error instanceof MaskFormatError) throw new InvalidOriginError(`origin.draft: ${error.message}`);
      throw error;
    }
  }

  private async suggestion(revisionId: string, sliceId: string): Promise<ResolvedOrigin> {
    const suggestion = await this.revisions.byId(revisionId);
    if (!suggestion || suggestion.sliceId !== sliceId || suggestion.source !== 'model') {
      throw new InvalidOriginError(`origin.revisionId: ${revisionId} is not a model suggestion of slice ${sliceId}`);
    }
    return { origin: { kind: 'suggestion', model: suggestion.author, revisionId }, draftCounts: suggestion.rleCounts };
  }

  private async interpolation(sourceIds: [string, string], target: { sliceId: string; class: string; size: MaskSize }): Promise<ResolvedOrigin> {
    const sources = await Promise.all(sourceIds.map((id) => this.revisions.byId(id)));
    const positions = await this.revisions.slicePositions([target.sliceId, ...sources.flatMap((s) => (s ? [s.sliceId] : []))]);
    const here = positions.get(target.sliceId)!;
    const placed = sources.map((source, i) => {
      const position = source && positions.get(source.sliceId);
      if (!source || !position || source.class !== target.class || source.width !== target.size.width || source.height !== target.size.height || position.scanId !== here.scanId) {
        throw new InvalidOriginError(`origin.sources: ${sourceIds[i]} is not a ${target.class} mask revision of this slice's scan`);
      }
      return { source, sliceIndex: position.sliceIndex };
    });
    const [lower, upper] = placed.sort((a, b) => a.sliceIndex - b.sliceIndex);
    const gap = upper.sliceIndex - lower.sliceIndex;
    if (!(lower.sliceIndex < here.sliceIndex && here.sliceIndex < upper.sliceIndex) || gap > MAX_INTERPOLATION_GAP) {
      throw new InvalidOriginError(`origin.sources: slices ${lower.sliceIndex} and ${upper.sliceIndex} must lie on either side of slice ${here.sliceIndex}, at most ${MAX_INTERPOLATION_GAP} apart`);
    }
    const decode = ({ source }: (typeof placed)[number]) => decodeRleCounts(cocoStringToCounts(source.rleCounts), source.width, source.height);
    const draft = interpolateBetween(decode(lower), decode(upper), gap - 1)[here.sliceIndex - lower.sliceIndex - 1];
    const ref = ({ source, sliceIndex }: (typeof placed)[number]) => ({ revisionId: source.id, sliceId: source.sliceId, sliceIndex });
    return { origin: { kind: 'interpolation', sources: [ref(lower), ref(upper)] }, draftCounts: encodeCocoRle(draft).counts };
  }
}
