import { DomainError } from '@lesionlab/contracts';
/**
 * The conditional-write rule of every revisioned thing (masks, labels): a save names the revision it
 * was based on (`If-Match`) or says there is none yet (`If-None-Match: *`).
 */
export type Precondition = { kind: 'if-match'; revisionId: string } | { kind: 'if-none-match' };

export class PreconditionRequiredError extends DomainError {
  constructor() {
    super('precondition', 'a save needs If-Match: "<revisionId>" of the revision it is based on, or If-None-Match: * for the first one');
  }
}

/** True when a save made under `precondition` is based on `currentId` (null: there is no revision yet). */
export function preconditionHolds(precondition: Precondition, currentId: string | null): boolean {
  return precondition.kind === 'if-none-match' ? currentId === null : precondition.revisionId === currentId;
}
