import { Injectable } from '@nestjs/common';
import type { MaskFacts, MaskRevision } from '@lesionlab/contracts';
import { NotFoundError } from '../errors';
import { toMaskFacts, toMaskRevision } from './mask-revision.dto';
import { MaskRevisionsRepository } from './mask-revisions.repository';

/** Read side of mask revisions: the current one, one by id, a slice's history, a revision's facts. */
@Injectable()
export class MaskRevisionsQuery {
  constructor(private readonly revisions: MaskRevisionsRepository) {}

  /** The viewer's current revision of the slice (see MaskRevisionsRepository), or null. */
  async current(sliceId: string, maskClass: string, viewer: string): Promise<MaskRevision | null> {
    const revision = await this.revisions.current(sliceId, maskClass, viewer);
    if (!revision) return null;
    const facts = await this.revisions.factsOf([revision.id]);
    return toMaskRevision(revision, facts.get(revision.id));
  }

  /** A revision of this slice by id; NotFoundError when the id names none (or one of another slice). */
  async ofSlice(sliceId: string, revisionId: string): Promise<MaskRevision> {
    const revision = await this.revisions.byId(revisionId);
    if (!revision || revision.sliceId !== sliceId) throw new NotFoundError(`slice ${sliceId} has no mask revision ${revisionId}`);
    const facts = await this.revisions.factsOf([revision.id]);
    return toMaskRevision(revision, facts.get(revision.id));
  }

  async history(sliceId: string, maskClass: string): Promise<MaskRevision[]> {
    const revisions = await this.revisions.history(sliceId, maskClass);
    const facts = await this.revisions.factsOf(revisions.map((r) => r.id));
    return revisions.map((revision) => toMaskRevision(revision, facts.get(revision.id)));
  }

  async facts(revisionId: string): Promise<MaskFacts> {
    const facts = (await this.revisions.factsOf([revisionId])).get(revisionId);
    if (!facts) throw new NotFoundError(`no mask revision ${revisionId}`);
    return toMaskFacts(facts);
  }
}
