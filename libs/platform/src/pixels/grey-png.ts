import { promisify } from 'node:util';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { GreyImage } from './grey-image';

// The stored pixel format of slices (every bit of a grey image, as PNG): written by catalog's import,
// read by labels (mask facts) and training (release materialisation), hence here below them all.

const deflate = promisify(zlib.deflate);
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/** PNG rows with the "Sub" filter (each byte minus the same byte of the pixel to its left), 16-bit samples big-endian. */
function subFilteredRows({ width, height, bitDepth, data }: GreyImage): Buffer {
  const bpp = bitDepth / 8;
  const stride = width * bpp;
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (stride + 1) + 1;
    const row = y * stride;
    filtered[out - 1] = 1;
    if (bpp === 1) {
      filtered[out] = data[row];
      for (let x = 1; x < stride; x++) filtered[out + x] = data[row + x] - data[row + x - 1];
    } else {
      // stored little-endian: byte x of the PNG row is stored byte x ^ 1
      filtered[out] = data[row + 1];
      filtered[out + 1] = data[row];
      for (let x = 2; x < stride; x += 2) {
        filtered[out + x] = data[row + x + 1] - data[row + x - 1];
        filtered[out + x + 1] = data[row + x] - data[row + x - 2];
      }
    }
  }
  return filtered;
}

const RLE = { strategy: zlib.constants.Z_RLE };

/**
 * Encodes a grey image as PNG, keeping every stored bit: 16-bit samples are written as the raw
 * stored value (an int16's two's-complement bit pattern for signed data), big-endian as PNG wants.
 * Rows use the "Sub" filter, which suits CT's smooth rows. Sub-filtered slices hold few long
 * repeats, so run-length deflate compresses them as well as match searching at about twice the speed.
 * Deflates on libuv's thread pool, sparing the event loop.
 */
export async function encodeGreyPng(image: GreyImage): Promise<Buffer> {
  return greyPng(image, await deflate(subFilteredRows(image), RLE));
}

/** encodeGreyPng deflating on the calling thread: for worker threads, where a hand-off to the pool only adds work. */
export function encodeGreyPngSync(image: GreyImage): Buffer {
  return greyPng(image, zlib.deflateSync(subFilteredRows(image), RLE));
}

function greyPng(image: GreyImage, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = image.bitDepth;
  header[9] = 0; // greyscale
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Reads a PNG written by encodeGreyPng back into stored little-endian values. */
export async function decodeGreyPng(png: Buffer, bitDepth: 8 | 16): Promise<Buffer> {
  const decoder = sharp(png);
  // grey16 keeps all 16 bits; without it libvips hands back 8-bit values widened to 16.
  const { data } = await (bitDepth === 16 ? decoder.toColourspace('grey16').raw({ depth: 'ushort' }) : decoder.extractChannel(0).raw()).toBuffer({
    resolveWithObject: true,
  });
  return data;
}
