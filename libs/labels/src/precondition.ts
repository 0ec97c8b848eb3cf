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

/**
 * The precondition as the database's precondition_holds takes it (migrations/definitions/
 * precondition-holds.sql, where the rule is written): the revision id, or null for If-None-Match: *.
 */
export function ifMatchOf(precondition: Precondition): string | null {
  return precondition.kind === 'if-match' ? precondition.revisionId : null;
}
