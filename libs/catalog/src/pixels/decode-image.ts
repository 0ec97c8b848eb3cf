import sharp, { type Sharp } from 'sharp';
import type { BinaryMask } from '@lesionlab/mask';
import { checkSliceSize, type DecodeLimits } from './decode-limits';
import { greyImage8, type GreyImage } from '@lesionlab/platform/pixels';
import { decodeGrey8Png } from './grey8-png';

export interface Decoded8Bit {
  image: GreyImage;
  /** True when the source had colour (or alpha) and was converted to grey. */
  converted: boolean;
}

/**
 * Decodes a PNG/JPEG (grey, RGB or RGBA, any bit depth) to 8-bit grey; throws on corrupt data and on
 * images of more pixels than the limit (judged by their header, before decoding).
 * Plain 8-bit grey PNGs and one-component JPEGs, the usual CT exports, skip libvips' header read.
 */
export async function decodeTo8BitGrey(bytes: Buffer, limits: DecodeLimits): Promise<Decoded8Bit> {
  const png = decodeGrey8Png(bytes, limits);
  if (png) return { image: greyImage8(png.width, png.height, png.data), converted: false };
  return withPixelLimit(bytes, limits, async () => {
    if (jpegComponents(bytes) === 1) {
      const { data, info } = await libvips(bytes, limits).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      if (info.channels === 1 && data.length === info.width * info.height) return { image: greyImage8(info.width, info.height, data), converted: false };
    }
    const pipeline = libvips(bytes, limits);
    const meta = await pipeline.metadata();
    const converted = (meta.channels ?? 1) > 2 || meta.hasAlpha === true;
    const { data, info } = await pipeline.flatten({ background: { r: 0, g: 0, b: 0 } }).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    return { image: greyImage8(info.width, info.height, info.channels === 1 ? data : firstChannel(data, info.channels)), converted };
  });
}

/** libvips over user bytes: refuses truncated data, and (from the header, before decoding) images over the pixel limit. */
function libvips(bytes: Buffer, limits: DecodeLimits): Sharp {
  return sharp(bytes, { failOn: 'truncated', limitInputPixels: limits.maxSlicePixels });
}

/** Runs a libvips decode, turning its refusal of an image over the pixel limit into one that names the size and the setting. */
async function withPixelLimit<T>(bytes: Buffer, limits: DecodeLimits, decode: () => Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    if (!/exceeds pixel limit/.test((error as Error).message)) throw error;
    const { width = NaN, height = NaN } = await sharp(bytes, { limitInputPixels: false }).metadata();
    checkSliceSize(width, height, limits);
    throw error;
  }
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic), whose header counts the components. */
const JPEG_FRAME_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The number of colour components a JPEG's frame header declares; null when the bytes are no JPEG or end first. */
function jpegComponents(bytes: Buffer): number | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  for (let offset = 2; offset + 4 <= bytes.length; ) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset++; // fill byte
    } else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a segment
    } else if (JPEG_FRAME_MARKERS.has(marker)) {
      return offset + 10 <= bytes.length ? bytes[offset + 9] : null;
    } else if (marker === 0xda || marker === 0xd9) {
      return null; // scan data or the end before any frame header
    } else {
      offset += 2 + bytes.readUInt16BE(offset + 2);
    }
  }
  return null;
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
export async function decodeMaskImage(bytes: Buffer, threshold: number, limits: DecodeLimits): Promise<BinaryMask> {
  const grey = decodeGrey8Png(bytes, limits) ?? (await withPixelLimit(bytes, limits, () => firstChannelOf(bytes, limits)));
  const mask = new Uint8Array(grey.width * grey.height);
  for (let i = 0; i < mask.length; i++) mask[i] = grey.data[i] >= threshold ? 1 : 0;
  return { width: grey.width, height: grey.height, data: mask };
}

async function firstChannelOf(bytes: Buffer, limits: DecodeLimits): Promise<{ width: number; height: number; data: Buffer }> {
  const { data, info } = await libvips(bytes, limits).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}
