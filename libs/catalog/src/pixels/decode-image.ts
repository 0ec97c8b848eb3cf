import sharp from 'sharp';
import type { BinaryMask } from '@lesionlab/mask';
import { greyImage8, type GreyImage } from './grey-image';
import { decodeGrey8Png } from './grey-png';

export interface Decoded8Bit {
  image: GreyImage;
  /** True when the source had colour (or alpha) and was converted to grey. */
  converted: boolean;
}

/** Decodes a PNG/JPEG (grey, RGB or RGBA, any bit depth) to 8-bit grey; throws on corrupt data. */
export async function decodeTo8BitGrey(bytes: Buffer): Promise<Decoded8Bit> {
  const pipeline = sharp(bytes, { failOn: 'truncated' });
  const meta = await pipeline.metadata();
  const converted = (meta.channels ?? 1) > 2 || meta.hasAlpha === true;
  const { data, info } = await pipeline.flatten({ background: { r: 0, g: 0, b: 0 } }).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { image: greyImage8(info.width, info.height, info.channels === 1 ? data : firstChannel(data, info.channels)), converted };
}

function firstChannel(data: Buffer, channels: number): Buffer {
  const out = Buffer.alloc(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels];
  return out;
}

/**
 * Decodes a mask image: a pixel is lesion when its grey value is at least `threshold`
 * (1: any non-zero, as in binary and palette masks; 128 for soft 0–255 masks).
 */
export async function decodeMaskImage(bytes: Buffer, threshold: number): Promise<BinaryMask> {
  const grey = decodeGrey8Png(bytes) ?? (await firstChannelOf(bytes));
  const mask = new Uint8Array(grey.width * grey.height);
  for (let i = 0; i < mask.length; i++) mask[i] = grey.data[i] >= threshold ? 1 : 0;
  return { width: grey.width, height: grey.height, data: mask };
}

async function firstChannelOf(bytes: Buffer): Promise<{ width: number; height: number; data: Buffer }> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}
