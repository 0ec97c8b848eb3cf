import { DomainError } from '@lesionlab/contracts';

/** The slice, patient or revision a request names does not exist. */
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

/**
 * A save based on a revision that is no longer current. `current` is what the saver should look at
 * (null: there is no revision any more, e.g. `If-Match` on a slice without one); `kept` is the
 * rejected content, stored as a draft of its author so nothing is lost.
 */
export class RevisionConflictError<T extends { revisionId: string }> extends DomainError {
  constructor(readonly current: T | null, readonly kept: T) {
    super('conflict', `${current ? `the current revision is ${current.revisionId}` : 'there is no current revision'}; your save was kept as draft ${kept.revisionId}`, {
      extensions: { current, kept },
    });
  }
}

/** A review decision on a revision that is not awaiting one. */
export class ReviewConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** A review decision by the revision's own author: nobody reviews their own work. */
export class SelfReviewError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A save's `origin` names a draft the server cannot confirm (another slice's suggestion, sources that do not bracket the slice, ...). */
export class InvalidOriginError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}
