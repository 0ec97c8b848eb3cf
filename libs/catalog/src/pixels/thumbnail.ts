import { fitInside, resizeGrey8 } from './area-resize';
import { encodeGreyPngSync, type GreyImage, greyImage8 } from '@lesionlab/platform/pixels';

export const THUMBNAIL_SIZE = 128;

export interface DisplayWindow {
  center: number;
  width: number;
}

/** Lung window, the view a chest-CT reader starts from. */
export const LUNG_WINDOW: DisplayWindow = { center: -600, width: 1500 };

/** Maps stored values to 0–255 through value = stored·slope + intercept and a window (8-bit images pass through). */
export function windowTo8Bit(image: GreyImage, slope: number, intercept: number, window: DisplayWindow): Buffer {
  if (image.bitDepth === 8) return image.data;
  const out = Buffer.alloc(image.width * image.height);
  const low = window.center - window.width / 2;
  const scale = 255 / window.width;
  const signed = image.pixelRepresentation === 1;
  for (let i = 0; i < out.length; i++) {
    const stored = signed ? image.data.readInt16LE(i * 2) : image.data.readUInt16LE(i * 2);
    const v = ((stored * slope + intercept - low) * scale) | 0;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/**
 * A small grey PNG for lists: the slice windowed to 8 bits, fitted inside THUMBNAIL_SIZE² by area
 * averaging (for a small preview as good as libvips' resize, without its per-image set-up).
 */
export function makeThumbnail(image: GreyImage, slope: number, intercept: number, window: DisplayWindow): Buffer {
  const size = fitInside(image.width, image.height, THUMBNAIL_SIZE);
  const pixels = resizeGrey8(windowTo8Bit(image, slope, intercept, window), image.width, image.height, size.width, size.height);
  return encodeGreyPngSync(greyImage8(size.width, size.height, pixels));
}
