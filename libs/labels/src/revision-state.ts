import { DomainError } from '@lesionlab/contracts';
export type RevisionState = 'draft' | 'submitted' | 'approved' | 'rejected';
export type ReviewAction = 'submit' | 'approve' | 'reject';

const NEXT: Record<RevisionState, Partial<Record<ReviewAction, RevisionState>>> = {
  draft: { submit: 'submitted' },
  submitted: { approve: 'approved', reject: 'rejected' },
  approved: {},
  rejected: {},
};

const PAST_TENSE: Record<ReviewAction, string> = { submit: 'submitted', approve: 'approved', reject: 'rejected' };

export class ReviewTransitionError extends DomainError {
  constructor(from: RevisionState, action: ReviewAction) {
    super('conflict', `${from === 'approved' ? 'An' : 'A'} ${from} revision cannot be ${PAST_TENSE[action]}`);
  }
}

/** The review life of a mask revision: draft → submitted → approved | rejected. */
export function nextRevisionState(from: RevisionState, action: ReviewAction): RevisionState {
  const next = NEXT[from][action];
  if (!next) throw new ReviewTransitionError(from, action);
  return next;
}
