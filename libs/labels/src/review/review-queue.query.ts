import { Injectable } from '@nestjs/common';
import type { ReviewQueueItem } from '@lesionlab/contracts';
import { LabelRevisionsRepository } from '../label-values/label-revisions.repository';
import { MaskRevisionsRepository } from '../masks/mask-revisions.repository';

/** Submitted masks and labels awaiting a decision, oldest first, masks with their quality warnings. */
@Injectable()
export class ReviewQueueQuery {
  constructor(
    private readonly masks: MaskRevisionsRepository,
    private readonly labels: LabelRevisionsRepository,
  ) {}

  async list(limit: number): Promise<ReviewQueueItem[]> {
    const [masks, labels] = await Promise.all([this.masks.pendingSubmissions(limit), this.labels.pendingSubmissions(limit)]);
    const items: Array<ReviewQueueItem & { at: number }> = [
      ...masks.map((m) => ({ revisionId: m.id, kind: 'mask' as const, subjectId: m.slice_id, author: m.author, createdAt: m.created_at.toISOString(), warnings: m.warnings, at: m.created_at.getTime() })),
      ...labels.map((l) => ({
        revisionId: l.id,
        kind: l.patientId ? ('patient-label' as const) : ('slice-label' as const),
        subjectId: (l.patientId ?? l.sliceId) as string,
        author: l.author,
        createdAt: l.createdAt.toISOString(),
        warnings: [],
        at: l.createdAt.getTime(),
      })),
    ];
    return items
      .sort((a, b) => a.at - b.at)
      .slice(0, limit)
      .map(({ at: _at, ...item }) => item);
  }
}
