import { UnrecoverableError } from 'bullmq';
import { DomainError, type DomainErrorKind } from '@lesionlab/contracts';

/**
 * Whether a job that failed with a DomainError of this kind may succeed on a later try. Only a service
 * that was down may come back; bad input, a missing thing, a refusal, a failed precondition or a
 * conflict stay as they are. A Record, so a new kind cannot be added without deciding.
 */
const RETRY_MAY_HELP: Record<DomainErrorKind, boolean> = {
  invalid: false,
  'not-found': false,
  forbidden: false,
  precondition: false,
  conflict: false,
  unavailable: true,
};

const isFinalDomainError = (error: unknown): error is DomainError => error instanceof DomainError && !RETRY_MAY_HELP[error.kind];

/** True when the queue will not try the job again after `error` (whatever attempts it has left). */
export function isPermanentJobFailure(error: unknown): boolean {
  return error instanceof UnrecoverableError || isFinalDomainError(error);
}

/**
 * What a job's failure becomes for the queue: a DomainError a retry cannot fix becomes an
 * UnrecoverableError (BullMQ fails the job at once) whose message is the detail a person reads, as the
 * API would give it (`field: message`). Anything else (`unavailable`, an unexpected error) is kept, so
 * the queue retries it while attempts remain.
 */
export function toQueueFailure(error: unknown): unknown {
  if (!isFinalDomainError(error)) return error;
  return new UnrecoverableError(error.field ? `${error.field}: ${error.message}` : error.message);
}
