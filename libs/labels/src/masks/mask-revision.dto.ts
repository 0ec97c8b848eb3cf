import type { MaskEdit, MaskFacts, MaskRevision } from '@lesionlab/contracts';
import { cocoStringToCounts, rleOverlap } from '@lesionlab/mask';
import type { MaskRevisionFactsEntity } from './mask-revision-facts.entity';
import type { MaskRevisionEntity } from './mask-revision.entity';

export function toMaskFacts(facts: MaskRevisionFactsEntity): MaskFacts {
  return {
    revisionId: facts.revisionId,
    lesionCount: facts.lesionCount,
    speckCount: facts.speckCount,
    minLesionPx: facts.minLesionPx,
    areaPx: facts.areaPx,
    areaMm2: facts.areaMm2,
    lungFieldKnown: facts.lungFieldKnown,
    lesions: facts.lesions,
  };
}

/** The API form of a revision (maskRevisionSchema), with its facts and warnings when known. */
export function toMaskRevision(revision: MaskRevisionEntity, facts?: MaskRevisionFactsEntity): MaskRevision {
  return {
    revisionId: revision.id,
    sliceId: revision.sliceId,
    class: revision.class,
    rle: { size: [revision.height, revision.width], counts: revision.rleCounts },
    author: revision.author,
    source: revision.source,
    parentId: revision.parentId,
    state: revision.state,
    reviewComment: revision.reviewComment,
    area: revision.area,
    createdAt: revision.createdAt.toISOString(),
    reviewedBy: revision.reviewedBy,
    conflictWith: revision.conflictWith,
    facts: facts ? toMaskFacts(facts) : null,
    warnings: facts?.warnings ?? [],
    origin: revision.origin,
    edit: editFromDraft(revision.rleCounts, revision.draftRleCounts),
    activeSeconds: revision.activeSeconds === null ? null : Math.round(revision.activeSeconds * 10) / 10,
  };
}

/** What the person changed from the draft: both stored as COCO counts of one size, compared run by run. */
export function editFromDraft(savedCounts: string, draftCounts: string | null): MaskEdit | null {
  if (draftCounts === null) return null;
  const { intersection, areaA: saved, areaB: draft } = rleOverlap(cocoStringToCounts(savedCounts), cocoStringToCounts(draftCounts));
  return { draftAreaPx: draft, pixelsAdded: saved - intersection, pixelsRemoved: draft - intersection, dice: saved + draft === 0 ? 1 : (2 * intersection) / (saved + draft) };
}
