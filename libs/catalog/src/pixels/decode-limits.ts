// Only the type: this module runs in the pixel worker threads, which should not load the platform.
import type { Settings } from '@lesionlab/platform';

/**
 * How much a decoder may produce from user bytes. Decoders compare header values (sizes, counts,
 * offsets) against these before allocating anything, so a small hostile file cannot claim gigabytes.
 */
export interface DecodeLimits {
  /** Pixels of one decoded slice (IMPORT_MAX_SLICE_PIXELS). */
  maxSlicePixels: number;
  /** Bytes one source file may hold, inflate to, or decode to (IMPORT_MAX_VOLUME_BYTES). */
  maxVolumeBytes: number;
}

export function decodeLimitsOf(settings: Pick<Settings, 'IMPORT_MAX_SLICE_PIXELS' | 'IMPORT_MAX_VOLUME_BYTES'>): DecodeLimits {
  return { maxSlicePixels: settings.IMPORT_MAX_SLICE_PIXELS, maxVolumeBytes: settings.IMPORT_MAX_VOLUME_BYTES };
}

/** A file that declares or holds more than a decode limit allows; the message names the setting. */
export class DecodeLimitError extends Error {
  override readonly name = 'DecodeLimitError';
}

/** Throws unless width x height is an image size within IMPORT_MAX_SLICE_PIXELS (NaN, fractions, 0 and negatives are refused). */
export function checkSliceSize(width: number, height: number, limits: DecodeLimits): void {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) throw new Error(`${width}x${height} is not an image size`);
  if (width * height > limits.maxSlicePixels) throw new DecodeLimitError(`${width}x${height} pixels is over IMPORT_MAX_SLICE_PIXELS (${limits.maxSlicePixels})`);
}

/** Throws when `bytes` (what `what` holds or decodes to) is over IMPORT_MAX_VOLUME_BYTES. */
export function checkVolumeBytes(bytes: number, what: string, limits: DecodeLimits): void {
  if (!(bytes <= limits.maxVolumeBytes)) throw new DecodeLimitError(`${what}: ${bytes} bytes, over IMPORT_MAX_VOLUME_BYTES (${limits.maxVolumeBytes})`);
}
