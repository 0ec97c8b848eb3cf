import type { LabelRevision } from '@lesionlab/contracts';
import type { LabelRevisionEntity } from './label-revision.entity';

export function toLabelRevision(revision: LabelRevisionEntity): LabelRevision {
  return {
    revisionId: revision.id,
    subject: revision.patientId ? 'patient' : 'slice',
    subjectId: (revision.patientId ?? revision.sliceId) as string,
    value: revision.value,
    author: revision.author,
    source: revision.source,
    parentId: revision.parentId,
    state: revision.state,
    reviewComment: revision.reviewComment,
    reviewedBy: revision.reviewedBy,
    conflictWith: revision.conflictWith,
    createdAt: revision.createdAt.toISOString(),
  };
}
