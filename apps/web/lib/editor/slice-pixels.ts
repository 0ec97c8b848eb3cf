import type { SliceDetail } from '@lesionlab/contracts';

export type StoredPixels = Uint8Array | Uint16Array | Int16Array;

/** A slice's stored values with what is needed to turn them into modality values (HU for CT). */
export interface SlicePixels {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: 8 | 16;
  readonly stored: StoredPixels;
  readonly slope: number;
  readonly intercept: number;
}

type PixelFormat = Pick<SliceDetail, 'width' | 'height' | 'bitDepth' | 'pixelRepresentation' | 'rescaleSlope' | 'rescaleIntercept'>;

/**
 * Wraps the body of GET /api/slices/:id/pixels (row-major, little-endian; 1 byte a pixel for 8-bit,
 * 2 bytes as uint16 or int16 by pixelRepresentation for 16-bit). Throws when the length is wrong.
 */
export function decodeSlicePixels(body: ArrayBuffer, format: PixelFormat): SlicePixels {
  const count = format.width * format.height;
  const bytesPerPixel = format.bitDepth === 16 ? 2 : 1;
  if (body.byteLength !== count * bytesPerPixel) {
    throw new Error(`pixels have ${body.byteLength} bytes, expected ${count * bytesPerPixel} for ${format.width}x${format.height} at ${format.bitDepth} bits`);
  }
  const base = { width: format.width, height: format.height, bitDepth: format.bitDepth, slope: format.rescaleSlope, intercept: format.rescaleIntercept };
  if (format.bitDepth === 8) return { ...base, stored: new Uint8Array(body) };
  // Every browser's typed arrays are little-endian, the order the API sends.
  return { ...base, stored: format.pixelRepresentation === 1 ? new Int16Array(body) : new Uint16Array(body) };
}

/** Modality values (stored · slope + intercept) of every pixel, for tools that compare intensities. */
export function modalityValues(pixels: SlicePixels): Float32Array {
  const { stored, slope, intercept } = pixels;
  const values = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) values[i] = stored[i] * slope + intercept;
  return values;
}
