import type { DecodeLimits } from '../pixels/decode-limits';
import type { ImportedSlice } from './imported-slice';
import { mediaTypeOf } from './file-names';
import { maskError, PLAIN_IMAGE } from './pixel-tasks';
import { pixelWorkers } from './pixel-workers';
import type { SourceTree } from './source-tree';

export interface ImageFileRef {
  tree: SourceTree;
  file: string;
  mask: { tree: SourceTree; file: string } | null;
  maskThreshold: number;
  limits: DecodeLimits;
}

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

async function readMask({ tree, file }: { tree: SourceTree; file: string }): Promise<Buffer> {
  try {
    return await tree.read(file);
  } catch (error) {
    throw maskError(file, error as Error);
  }
}
