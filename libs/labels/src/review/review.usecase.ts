import { Injectable } from '@nestjs/common';
import type { LabelRevision, MaskRevision } from '@lesionlab/contracts';
import { NotFoundError } from '../errors';
import type { ReviewCommand } from './review-command';
import { ReviewLabelUseCase } from './review-label.usecase';
import { ReviewMaskUseCase } from './review-mask.usecase';

/** POST /api/revisions/:id/approve|reject: the id names a mask revision or a label revision. */
@Injectable()
export class ReviewUseCase {
  constructor(
    private readonly masks: ReviewMaskUseCase,
    private readonly labels: ReviewLabelUseCase,
  ) {}

  async execute(command: ReviewCommand): Promise<MaskRevision | LabelRevision> {
    const decided = (await this.masks.execute(command)) ?? (await this.labels.execute(command));
    if (!decided) throw new NotFoundError(`no revision ${command.revisionId}`);
    return decided;
  }
}
