import { interpolationSourcesSchema, type InterpolationSources, type MaskOriginClaim } from '@lesionlab/contracts';
import { decodeCocoRle, interpolateBetween, maskArea, type BinaryMask } from '@lesionlab/mask';
import { api, dataOf } from '../api';

/** The nearest masked slices around `sliceId` (the signed-in user's view) and the slices between. */
export async function fetchInterpolationSources(sliceId: string): Promise<InterpolationSources> {
  return interpolationSourcesSchema.parse(await dataOf(api.GET('/api/slices/{id}/mask/interpolation', { params: { path: { id: sliceId } }, cache: 'no-store' })));
}

/**
 * Interpolated drafts for every slice between two masked ones, computed once per pair of source
 * revisions: stepping through the slices between reuses them.
 */
export class InterpolationDrafts {
  readonly lowerIndex: number;
  readonly upperIndex: number;
  private readonly drafts: Map<string, BinaryMask>;

  private constructor(
    readonly sources: InterpolationSources & { lower: NonNullable<InterpolationSources['lower']>; upper: NonNullable<InterpolationSources['upper']> },
    drawn?: Map<string, BinaryMask>,
  ) {
    const { lower, upper, between } = sources;
    this.lowerIndex = lower.sliceIndex;
    this.upperIndex = upper.sliceIndex;
    this.drafts = drawn ?? new Map();
    if (drawn) return;
    const masks = interpolateBetween(decodeCocoRle(lower.rle), decodeCocoRle(upper.rle), upper.sliceIndex - lower.sliceIndex - 1);
    for (const slice of between) this.drafts.set(slice.sliceId, masks[slice.sliceIndex - lower.sliceIndex - 1]);
  }

  /** The same drafts with what the slices between hold now (same two sources: nothing is drawn again). */
  withSources(sources: InterpolationSources): InterpolationDrafts {
    return new InterpolationDrafts({ ...this.sources, between: sources.between }, this.drafts);
  }

  /** Null unless both sides have a masked slice within reach. */
  static from(sources: InterpolationSources): InterpolationDrafts | null {
    const { lower, upper } = sources;
    return lower && upper && sources.between.length ? new InterpolationDrafts({ ...sources, lower, upper }) : null;
  }

  /** Identifies the pair of source revisions the drafts were drawn from. */
  get key(): string {
    return `${this.sources.lower.revisionId} ${this.sources.upper.revisionId}`;
  }

  /** What a save of a slice's draft claims: the draft the server stored for it (null when the slice has a mask). */
  originOf(sliceId: string): MaskOriginClaim | null {
    const draftId = this.sources.between.find((slice) => slice.sliceId === sliceId)?.draftId;
    return draftId ? { kind: 'interpolation', draftId } : null;
  }

  /** The draft of a slice between, when it has one worth showing (not empty). */
  draftOf(sliceId: string): BinaryMask | null {
    const draft = this.drafts.get(sliceId);
    return draft && maskArea(draft) > 0 ? draft : null;
  }

  /** The slices between whose mask is still empty and whose draft is not: what "accept all" fills. */
  open(): Array<{ sliceId: string; revisionId: string | null; draft: BinaryMask; origin: MaskOriginClaim }> {
    return this.sources.between.flatMap((slice) => {
      const draft = slice.area === 0 && slice.draftId ? this.draftOf(slice.sliceId) : null;
      return draft ? [{ sliceId: slice.sliceId, revisionId: slice.revisionId, draft, origin: { kind: 'interpolation' as const, draftId: slice.draftId! } }] : [];
    });
  }
}
