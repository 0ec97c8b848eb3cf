import { MaskFormatError, MaskSizeMismatchError } from './errors';

/**
 * A binary mask: `data[y * width + x]` is 1 inside the mask and 0 outside
 * (row-major, the order of a browser canvas' ImageData).
 */
export interface BinaryMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface MaskSize {
  width: number;
  height: number;
}

/** Throws a MaskFormatError unless width and height are positive integers whose product fits in 32 bits. */
export function assertValidDimensions(width: number, height: number): void {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new MaskFormatError(`mask size must be positive integers, got width ${width} and height ${height}`);
  }
  // Run lengths are handled as 32-bit integers by every codec here (as in pycocotools).
  if (width * height > 0x7fffffff) {
    throw new MaskFormatError(`mask of ${width}x${height} pixels is too large (at most 2^31 - 1 pixels)`);
  }
}

export function createEmptyMask(width: number, height: number): BinaryMask {
  assertValidDimensions(width, height);
  return { width, height, data: new Uint8Array(width * height) };
}

/** Wraps row-major 0/1 data as a mask after checking its length and values; the data is not copied. */
export function maskFromData(width: number, height: number, data: Uint8Array): BinaryMask {
  assertValidDimensions(width, height);
  if (data.length !== width * height) {
    throw new MaskFormatError(`mask data has ${data.length} values, expected ${width * height} for ${width}x${height}`);
  }
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 1) {
      throw new MaskFormatError(`mask data must be 0 or 1, got ${data[i]} at index ${i}`);
    }
  }
  return { width, height, data };
}

/** Number of foreground pixels. */
export function maskArea(mask: BinaryMask): number {
  const { data } = mask;
  let area = 0;
  for (let i = 0; i < data.length; i++) area += data[i];
  return area;
}

export function assertSameSize(a: BinaryMask, b: BinaryMask): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new MaskSizeMismatchError(`masks differ in size: ${a.width}x${a.height} and ${b.width}x${b.height}`);
  }
}
