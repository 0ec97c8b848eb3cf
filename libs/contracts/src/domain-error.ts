/**
 * The one family of errors domain code throws for a request it refuses. Each has a `kind`, and the
 * API's problem+json filter answers every kind with one status (DOMAIN_ERROR_STATUS); the worker
 * reads the same kind (e.g. `invalid` input will not succeed on a retry). No other code turns domain
 * errors into HTTP.
 */
export const DOMAIN_ERROR_STATUS = {
  'not-found': 404,
  conflict: 409,
  precondition: 428,
  invalid: 400,
  forbidden: 403,
  unavailable: 503,
} as const;

export type DomainErrorKind = keyof typeof DOMAIN_ERROR_STATUS;

export interface DomainErrorOptions {
  /** The request field the error is about; the problem's detail starts with it (`rle: ...`). */
  field?: string;
  /** Members added to the problem+json body beside `detail` (e.g. a conflict's current revision). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly field: string | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(readonly kind: DomainErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.field = options.field;
    this.extensions = options.extensions ?? {};
  }
}
