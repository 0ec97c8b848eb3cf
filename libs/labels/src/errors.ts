/** The slice, patient or revision a request names does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/**
 * A save based on a revision that is no longer current. `current` is what the saver should look at
 * (null: there is no revision any more, e.g. `If-Match` on a slice without one); `kept` is the
 * rejected content, stored as a draft of its author so nothing is lost.
 */
export class RevisionConflictError<T extends { revisionId: string }> extends Error {
  override readonly name = 'RevisionConflictError';
  constructor(readonly current: T | null, readonly kept: T) {
    super(`${current ? `the current revision is ${current.revisionId}` : 'there is no current revision'}; your save was kept as draft ${kept.revisionId}`);
  }
}

/** A review decision on a revision that is not awaiting one. */
export class ReviewConflictError extends Error {
  override readonly name = 'ReviewConflictError';
}

/** A review decision by the revision's own author: nobody reviews their own work. */
export class SelfReviewError extends Error {
  override readonly name = 'SelfReviewError';
}
