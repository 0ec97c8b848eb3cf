import { encodeCocoRle, type CocoRle } from '@lesionlab/mask';
import { decodeMaskImage, decodeTo8BitGrey } from '../pixels/decode-image';
import type { DecodeLimits } from '../pixels/decode-limits';
import type { GreyImage } from '../pixels/grey-image';
import { encodeSlice, type EncodedSlice } from '../pixels/slice-encoding';
import type { ImportedSlice } from './imported-slice';
import { mediaTypeOf } from './file-names';
import { pixelWorkers } from './pixel-workers';
import type { SourceTree } from './source-tree';

export interface ImageFileRef {
  tree: SourceTree;
  file: string;
  mask: { tree: SourceTree; file: string } | null;
  maskThreshold: number;
  limits: DecodeLimits;
}

export interface DecodedImageFile {
  image: GreyImage;
  /** True when the file had colour (or alpha) and was converted to grey. */
  converted: boolean;
  mask: CocoRle | null;
  encoded: EncodedSlice;
}

/** A PNG/JPEG's values are plain grey levels: no rescaling, the default display window. */
const PLAIN_IMAGE = { rescaleSlope: 1, rescaleIntercept: 0, window: null };

/**
 * Reads a PNG/JPEG slice (and its mask) and decodes and encodes it on a pixel worker into the parts
 * of an ImportedSlice that come from the pixels: 8-bit grey, the original kept when it had to be
 * converted, the mask checked for size, what is stored of the pixels.
 */
export async function loadImageFile(
  ref: ImageFileRef,
): Promise<Pick<ImportedSlice, 'image' | 'original' | 'mask' | 'rescaleSlope' | 'rescaleIntercept' | 'window' | 'sourceName' | 'encoded'>> {
  const bytes = await ref.tree.read(ref.file);
  const mask = ref.mask && { file: ref.mask.file, bytes: await readMask(ref.mask), threshold: ref.maskThreshold };
  const decoded = await pixelWorkers().run('decodeImageFile', bytes, mask, ref.limits);
  return {
    image: decoded.image,
    original: decoded.converted ? { bytes, mediaType: mediaTypeOf(ref.file) } : null,
    mask: decoded.mask,
    encoded: decoded.encoded,
    ...PLAIN_IMAGE,
    sourceName: ref.file,
  };
}

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

async function readMask({ tree, file }: { tree: SourceTree; file: string }): Promise<Buffer> {
  try {
    return await tree.read(file);
  } catch (error) {
    throw maskError(file, error as Error);
  }
}

function maskError(file: string, error: Error): Error {
  return new Error(`cannot decode its mask ${file}: ${error.message}`);
}
