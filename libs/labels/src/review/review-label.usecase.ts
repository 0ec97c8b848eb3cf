import { Injectable } from '@nestjs/common';
import type { LabelRevision } from '@lesionlab/contracts';
import { NotFoundError, ReviewConflictError, SelfReviewError } from '../errors';
import { toLabelRevision } from '../label-values/label-revision.dto';
import { LabelRevisionsRepository, type LabelSubject } from '../label-values/label-revisions.repository';
import { nextRevisionState } from '../revision-state';
import type { ReviewCommand } from './review-command';

/**
 * Approves or rejects a submitted patient or slice label by adding a revision. An approved patient
 * label becomes the patient's label in catalog, and its slices' cohort (and supervision, where no mask
 * decides it).
 */
@Injectable()
export class ReviewLabelUseCase {
  constructor(private readonly labels: LabelRevisionsRepository) {}

  async execute(command: ReviewCommand): Promise<LabelRevision | null> {
    const found = await this.labels.byId(command.revisionId);
    if (!found) return null;
    if (found.author === command.reviewer) throw new SelfReviewError(`revision ${found.id} is by ${found.author}: someone else must review it`);
    const subject: LabelSubject = found.patientId ? { kind: 'patient', id: found.patientId } : { kind: 'slice', id: found.sliceId as string };
    const decided = await this.labels.transaction(async (manager) => {
      if (!(await this.labels.lockSubject(manager, subject))) throw new NotFoundError(`no ${subject.kind} ${subject.id}`);
      const state = nextRevisionState(found.state, command.action);
      if (!(await this.labels.isPending(manager, found.id))) throw new ReviewConflictError(`revision ${found.id} has already been reviewed`);
      const { id: _id, createdAt: _createdAt, ...copy } = found;
      const review = await this.labels.insert(manager, {
        ...copy,
        parentId: found.id,
        state,
        reviewComment: command.comment,
        reviewedBy: command.reviewer,
        conflictWith: null,
      });
      if (state === 'approved' && subject.kind === 'patient' && (found.value === 'covid' || found.value === 'negative')) {
        await this.labels.applyPatientLabel(manager, subject.id, found.value, review.id);
      }
      return review;
    });
    return toLabelRevision(decided);
  }
}
