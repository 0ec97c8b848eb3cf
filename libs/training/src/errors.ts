/** A run, model, evaluation or prediction batch that does not exist (404). */
export class TrainingNotFoundError extends Error {
  constructor(what: string) {
    super(`No ${what}`);
    this.name = 'TrainingNotFoundError';
  }
}

/** A request naming a release that does not exist or is not ready (400). */
export class UnusableReleaseError extends Error {
  constructor(releaseId: string, status: string | null) {
    super(status ? `Release ${releaseId} is ${status}: runs need a ready release` : `No release ${releaseId}`);
    this.name = 'UnusableReleaseError';
  }
}
