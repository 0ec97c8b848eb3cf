import { DomainError } from '@lesionlab/contracts';
/** A run, model, evaluation or prediction batch that does not exist (404). */
export class TrainingNotFoundError extends DomainError {
  constructor(what: string) {
    super('not-found', `No ${what}`);
  }
}

/** A request naming a release that does not exist or is not ready (400). */
export class UnusableReleaseError extends DomainError {
  constructor(releaseId: string, status: string | null) {
    super('invalid', status ? `Release ${releaseId} is ${status}: runs need a ready release` : `No release ${releaseId}`);
  }
}

/** A run's `initModelId` naming a model it cannot start from: another trainer model's, or one whose weights are gone (400). */
export class UnusableInitModelError extends DomainError {
  constructor(message: string) {
    super('invalid', `initModelId: ${message}`);
  }
}

/** Evaluating or predicting whole slices with a model that draws masks from boxes only (medsam-lite: AI assist) (400). */
export class BoxPromptModelError extends DomainError {
  constructor(model: { id: string; name: string; version: number; architecture: string }) {
    super('invalid', `Model ${model.name} v${model.version} (${model.id}) is a ${model.architecture} model: it draws masks from boxes in the editor's AI assist and cannot evaluate or predict whole slices`);
  }
}
