import { differenceHash } from './difference-hash';
import { encodeGreyPngSync, type GreyImage } from '@lesionlab/platform/pixels';
import { LUNG_WINDOW, makeThumbnail, type DisplayWindow } from './thumbnail';

/** What the catalog stores for a slice's pixels, besides its row: the pixels as PNG, a thumbnail and a difference hash. */
export interface EncodedSlice {
  pixelsPng: Buffer;
  thumbnailPng: Buffer;
  phash: bigint;
}

export interface SlicePixels {
  image: GreyImage;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** The display window the thumbnail uses; null: the lung window for 16-bit CT, the full range for 8-bit. */
  window: DisplayWindow | null;
}

/** Runs on the calling thread from start to end: meant for a pixel worker. */
export function encodeSlice({ image, rescaleSlope, rescaleIntercept, window }: SlicePixels): EncodedSlice {
  const thumbnailWindow = window ?? (image.bitDepth === 16 ? LUNG_WINDOW : { center: 127.5, width: 255 });
  return {
    pixelsPng: encodeGreyPngSync(image),
    thumbnailPng: makeThumbnail(image, rescaleSlope, rescaleIntercept, thumbnailWindow),
    phash: differenceHash(image),
  };
}
