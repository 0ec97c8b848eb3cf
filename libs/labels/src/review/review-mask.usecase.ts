import { Injectable } from '@nestjs/common';
import type { MaskRevision } from '@lesionlab/contracts';
import { NotFoundError, ReviewConflictError, SelfReviewError } from '../errors';
import { toMaskRevision } from '../masks/mask-revision.dto';
import { MaskRevisionsRepository } from '../masks/mask-revisions.repository';
import { nextRevisionState } from '../revision-state';
import type { ReviewCommand } from './review-command';

/**
 * Approves or rejects a submitted mask by adding a revision (same mask and facts, the reviewer and
 * comment, parent = the submission). The approved revision is the slice's accepted mask. A
 * submission gets one decision: a second one is a ReviewConflictError.
 */
@Injectable()
export class ReviewMaskUseCase {
  constructor(private readonly revisions: MaskRevisionsRepository) {}

  async execute(command: ReviewCommand): Promise<MaskRevision | null> {
    const found = await this.revisions.byId(command.revisionId);
    if (!found) return null;
    if (found.author === command.reviewer) throw new SelfReviewError(`revision ${found.id} is by ${found.author}: someone else must review it`);
    const decided = await this.revisions.transaction(async (manager) => {
      if (!(await this.revisions.lockSlice(manager, found.sliceId))) throw new NotFoundError(`no slice ${found.sliceId}`);
      const state = nextRevisionState(found.state, command.action);
      if (!(await this.revisions.isPending(manager, found.id))) throw new ReviewConflictError(`revision ${found.id} has already been reviewed`);
      const review = await this.revisions.insertReview(manager, found, {
        state: state as 'approved' | 'rejected',
        reviewer: command.reviewer,
        comment: command.comment,
      });
      await this.revisions.recordWhetherMasked(manager, found.sliceId);
      return review;
    });
    const facts = await this.revisions.factsOf([decided.id]);
    return toMaskRevision(decided, facts.get(decided.id));
  }
}
