import type { BinaryMask } from '@lesionlab/mask';
import { decodeMaskImage, decodeTo8BitGrey } from '../pixels/decode-image';
import type { ImportedSlice } from './imported-slice';
import { mediaTypeOf } from './file-names';
import type { SourceTree } from './source-tree';

export interface ImageFileRef {
  tree: SourceTree;
  file: string;
  mask: { tree: SourceTree; file: string } | null;
  maskThreshold: number;
}

/**
 * Decodes a PNG/JPEG slice (and its mask) into the parts of an ImportedSlice that come from the
 * pixels: 8-bit grey, the original kept when it had to be converted, the mask checked for size.
 */
export async function loadImageFile(ref: ImageFileRef): Promise<Pick<ImportedSlice, 'image' | 'original' | 'mask' | 'rescaleSlope' | 'rescaleIntercept' | 'window' | 'sourceName'>> {
  const bytes = await ref.tree.read(ref.file);
  let decoded;
  try {
    decoded = await decodeTo8BitGrey(bytes);
  } catch (error) {
    throw new Error(`cannot decode the image: ${(error as Error).message}`);
  }
  let mask: BinaryMask | null = null;
  if (ref.mask) {
    try {
      mask = await decodeMaskImage(await ref.mask.tree.read(ref.mask.file), ref.maskThreshold);
    } catch (error) {
      throw new Error(`cannot decode its mask ${ref.mask.file}: ${(error as Error).message}`);
    }
    if (mask.width !== decoded.image.width || mask.height !== decoded.image.height) {
      throw new Error(`its mask ${ref.mask.file} is ${mask.width}x${mask.height}, the image ${decoded.image.width}x${decoded.image.height}`);
    }
  }
  return {
    image: decoded.image,
    original: decoded.converted ? { bytes, mediaType: mediaTypeOf(ref.file) } : null,
    mask,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    window: null,
    sourceName: ref.file,
  };
}
