import { Injectable } from '@nestjs/common';
import { MAX_INTERPOLATION_GAP, type InterpolationSources } from '@lesionlab/contracts';
import { MaskDraftsRepository } from '../drafts/mask-drafts.repository';
import { NotFoundError } from '../errors';
import { MaskRevisionsRepository } from './mask-revisions.repository';

/**
 * Where the editor can interpolate a slice from: see interpolationSourcesSchema. The drafts of the
 * empty slices between are recorded as handed to the viewer (one statement; the same rows again on
 * the next visit), so a save names the draft it started from.
 */
@Injectable()
export class InterpolationSourcesQuery {
  constructor(
    private readonly revisions: MaskRevisionsRepository,
    private readonly drafts: MaskDraftsRepository,
  ) {}

  async around(sliceId: string, maskClass: string, viewer: string): Promise<InterpolationSources> {
    const line = await this.revisions.lineAround(sliceId, maskClass, viewer, MAX_INTERPOLATION_GAP - 1);
    const here = line.findIndex((slice) => slice.sliceId === sliceId);
    if (here < 0) throw new NotFoundError(`no slice ${sliceId}`);
    const masked = (i: number) => (line[i].revision?.area ?? 0) > 0;
    let below = here - 1;
    while (below >= 0 && !masked(below)) below--;
    let above = here + 1;
    while (above < line.length && !masked(above)) above++;
    const end = (i: number) => {
      if (i < 0 || i >= line.length) return null;
      const { sliceId: id, sliceIndex, revision } = line[i];
      return { sliceId: id, sliceIndex, revisionId: revision!.id, rle: { size: [revision!.height, revision!.width] as [number, number], counts: revision!.rleCounts } };
    };
    const lower = end(below);
    const upper = end(above);
    if (!lower || !upper || upper.sliceIndex - lower.sliceIndex > MAX_INTERPOLATION_GAP) return { lower, upper, between: [] };
    const between = line.slice(below + 1, above);
    const empty = between.filter((slice) => (slice.revision?.area ?? 0) === 0).map((slice) => slice.sliceId);
    const [height, width] = lower.rle.size;
    const draftIds = await this.drafts.recordInterpolation({ sliceIds: empty, class: maskClass, author: viewer, sources: [lower.revisionId, upper.revisionId], size: { width, height } });
    return {
      lower,
      upper,
      between: between.map(({ sliceId: id, sliceIndex, revision }) => ({ sliceId: id, sliceIndex, revisionId: revision?.id ?? null, area: revision?.area ?? 0, draftId: draftIds.get(id) ?? null })),
    };
  }
}
