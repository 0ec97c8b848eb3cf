// The work a pixel worker thread does (see pixel-workers.ts): pure functions of their arguments, so
// the thread's entry (pixel-worker.ts) and the main thread's dispatcher share only this module.
import { encodeCocoRle, type CocoRle } from '@lesionlab/mask';
import type { GreyImage } from '@lesionlab/platform';
import { decodeMaskImage, decodeTo8BitGrey } from '../pixels/decode-image';
import type { DecodeLimits } from '../pixels/decode-limits';
import { encodeSlice, type EncodedSlice } from '../pixels/slice-encoding';

export interface DecodedImageFile {
  image: GreyImage;
  /** True when the file had colour (or alpha) and was converted to grey. */
  converted: boolean;
  mask: CocoRle | null;
  encoded: EncodedSlice;
}

/** A PNG/JPEG's values are plain grey levels: no rescaling, the default display window. */
export const PLAIN_IMAGE = { rescaleSlope: 1, rescaleIntercept: 0, window: null };

export interface MaskFile {
  file: string;
  bytes: Buffer;
  /** A pixel is lesion when its grey value is at least this. */
  threshold: number;
}

/** The pixel work of loadImageFile (run on a pixel worker): the image as 8-bit grey and encoded, the mask as COCO RLE. */
export async function decodeImageFile(bytes: Buffer, maskFile: MaskFile | null, limits: DecodeLimits): Promise<DecodedImageFile> {
  let decoded;
  try {
    decoded = await decodeTo8BitGrey(bytes, limits);
  } catch (error) {
    throw new Error(`cannot decode the image: ${(error as Error).message}`);
  }
  const { image, converted } = decoded;
  let mask: CocoRle | null = null;
  if (maskFile) {
    let binary;
    try {
      binary = await decodeMaskImage(maskFile.bytes, maskFile.threshold, limits);
    } catch (error) {
      throw maskError(maskFile.file, error as Error);
    }
    if (binary.width !== image.width || binary.height !== image.height) {
      throw new Error(`its mask ${maskFile.file} is ${binary.width}x${binary.height}, the image ${image.width}x${image.height}`);
    }
    mask = encodeCocoRle(binary);
  }
  return { image, converted, mask, encoded: encodeSlice({ image, ...PLAIN_IMAGE }) };
}

export function maskError(file: string, error: Error): Error {
  return new Error(`cannot decode its mask ${file}: ${error.message}`);
}

export const PIXEL_TASKS = { decodeImageFile, encodeSlice };

export type PixelTasks = typeof PIXEL_TASKS;

export interface PixelRequest {
  id: number;
  task: keyof PixelTasks;
  args: unknown[];
}

export type PixelReply = { id: number; result: unknown } | { id: number; error: string };
