import { DomainError } from '@lesionlab/contracts';
/** Thrown when encoded mask input (RLE object, RLE string, compact bytes, raw data) is malformed. */
export class MaskFormatError extends DomainError {
  constructor(message: string) {
    super('invalid', message, { field: 'rle' });
  }
}

/** Thrown when an operation needs masks of equal size and gets masks of different sizes. */
export class MaskSizeMismatchError extends Error {
  override readonly name = 'MaskSizeMismatchError';
}
