import { Injectable } from '@nestjs/common';
import { MAX_INTERPOLATION_GAP, type MaskOrigin, type MaskOriginClaim } from '@lesionlab/contracts';
import { decodeRleCounts, cocoStringToCounts, encodeCocoRle, interpolateBetween, union, type MaskSize } from '@lesionlab/mask';
import { MaskDraftsRepository, type StoredDraft } from '../drafts/mask-drafts.repository';
import { InvalidOriginError } from '../errors';
import { MaskRevisionsRepository } from './mask-revisions.repository';

/** A line's start as stored: its origin and the draft it starts from (COCO counts; null without one). */
export interface ResolvedOrigin {
  origin: MaskOrigin;
  draftCounts: string | null;
}

/** The save a claim belongs to: drafts must have been handed to its author on its slice. */
export interface OriginTarget {
  sliceId: string;
  class: string;
  size: MaskSize;
  author: string;
  /** The revision the save builds on (If-Match), whose mask an accepted assist draft joined. */
  basedOn: string | null;
}

/**
 * Turns what a save claims its mask started from into what is stored, from what the server keeps
 * itself: a suggestion's mask and model from the model's revision, an assist draft from the answers
 * stored when the assist endpoint gave them, an interpolation drawn again from the sources its stored
 * draft names. Nothing of a draft's pixels is taken from the client.
 */
@Injectable()
export class MaskOriginResolver {
  constructor(
    private readonly revisions: MaskRevisionsRepository,
    private readonly drafts: MaskDraftsRepository,
  ) {}

  async resolve(claim: MaskOriginClaim, target: OriginTarget): Promise<ResolvedOrigin> {
    switch (claim.kind) {
      case 'manual':
        return { origin: claim, draftCounts: null };
      case 'assist':
        return this.assist(claim.draftIds, target);
      case 'suggestion':
        return this.suggestion(claim.revisionId, target.sliceId);
      case 'interpolation':
        return this.interpolation(claim.draftId, target);
      case 'line':
        return this.line(claim.revisionId, target);
    }
  }

  /** The drafts, each one handed to the saver on this slice, of the kind claimed. */
  private async handedOut<K extends StoredDraft['kind']>(ids: string[], kind: K, field: string, target: OriginTarget): Promise<Array<Extract<StoredDraft, { kind: K }>>> {
    const stored = new Map((await this.drafts.byIds(ids)).map((draft) => [draft.id, draft]));
    return ids.map((id) => {
      const draft = stored.get(id);
      if (!draft || draft.kind !== kind || draft.sliceId !== target.sliceId || draft.author !== target.author) {
        throw new InvalidOriginError(`origin.${field}: ${id} is not an ${kind} draft handed to ${target.author} on slice ${target.sliceId}`);
      }
      if (draft.width !== target.size.width || draft.height !== target.size.height) throw new InvalidOriginError(`origin.${field}: draft ${id} is not of the slice's size`);
      return draft as Extract<StoredDraft, { kind: K }>;
    });
  }

  /** The line's draft: the stored answers joined to the mask the accept was made on (the revision the save builds on). */
  private async assist(draftIds: string[], target: OriginTarget): Promise<ResolvedOrigin> {
    const ids = [...new Set(draftIds)];
    const drafts = await this.handedOut(ids, 'assist', 'draftIds', target);
    const model = drafts[0].model;
    if (drafts.some((draft) => draft.model.name !== model.name || draft.model.version !== model.version)) {
      throw new InvalidOriginError('origin.draftIds: the drafts of one accept come from one model');
    }
    const base = target.basedOn ? await this.revisions.byId(target.basedOn) : null;
    const masks = [...(base && base.sliceId === target.sliceId && base.class === target.class ? [base] : []), ...drafts].map((m) => decodeRleCounts(cocoStringToCounts(m.rleCounts), m.width, m.height));
    const joined = masks.reduce((a, b) => union(a, b));
    return { origin: { kind: 'assist', model, prompts: drafts.map((draft) => draft.prompt), draftIds: ids }, draftCounts: encodeCocoRle(joined).counts };
  }

  /** Back to an earlier revision's line: its origin and draft (a model draft or an import is itself the draft, as in save_mask_revision). */
  private async line(revisionId: string, target: OriginTarget): Promise<ResolvedOrigin> {
    const revision = await this.revisions.byId(revisionId);
    if (!revision || revision.sliceId !== target.sliceId || revision.class !== target.class) {
      throw new InvalidOriginError(`origin.revisionId: ${revisionId} is not a ${target.class} mask revision of slice ${target.sliceId}`);
    }
    return { origin: revision.origin, draftCounts: revision.source === 'human' ? revision.draftRleCounts : revision.rleCounts };
  }

  private async suggestion(revisionId: string, sliceId: string): Promise<ResolvedOrigin> {
    const suggestion = await this.revisions.byId(revisionId);
    if (!suggestion || suggestion.sliceId !== sliceId || suggestion.source !== 'model') {
      throw new InvalidOriginError(`origin.revisionId: ${revisionId} is not a model suggestion of slice ${sliceId}`);
    }
    return { origin: { kind: 'suggestion', model: suggestion.author, revisionId }, draftCounts: suggestion.rleCounts };
  }

  private async interpolation(draftId: string, target: OriginTarget): Promise<ResolvedOrigin> {
    const [draft] = await this.handedOut([draftId], 'interpolation', 'draftId', target);
    if (draft.class !== target.class) throw new InvalidOriginError(`origin.draftId: ${draftId} is a ${draft.class} draft, not ${target.class}`);
    const sourceIds = draft.sources;
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
    const drawn = interpolateBetween(decode(lower), decode(upper), gap - 1)[here.sliceIndex - lower.sliceIndex - 1];
    const ref = ({ source, sliceIndex }: (typeof placed)[number]) => ({ revisionId: source.id, sliceId: source.sliceId, sliceIndex });
    return { origin: { kind: 'interpolation', sources: [ref(lower), ref(upper)], draftId }, draftCounts: encodeCocoRle(drawn).counts };
  }
}
