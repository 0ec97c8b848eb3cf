/** Thrown when encoded mask input (RLE object, RLE string, compact bytes, raw data) is malformed. */
export class MaskFormatError extends Error {
  override readonly name = 'MaskFormatError';
}

/** Thrown when an operation needs masks of equal size and gets masks of different sizes. */
export class MaskSizeMismatchError extends Error {
  override readonly name = 'MaskSizeMismatchError';
}
