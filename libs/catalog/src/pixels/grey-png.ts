import { promisify } from 'node:util';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { GreyImage } from './grey-image';

const deflate = promisify(zlib.deflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * Encodes a grey image as PNG, keeping every stored bit: 16-bit samples are written as the raw
 * stored value (an int16's two's-complement bit pattern for signed data), big-endian as PNG wants.
 * Rows use the "Sub" filter, which suits CT's smooth rows.
 */
export async function encodeGreyPng(image: GreyImage, level = 3): Promise<Buffer> {
  const { width, height, bitDepth, data } = image;
  const bpp = bitDepth / 8;
  const stride = width * bpp;
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (stride + 1);
    filtered[out] = 1;
    for (let x = 0; x < stride; x++) {
      // PNG stores 16-bit samples big-endian: swap the little-endian pair while filtering.
      const source = bpp === 2 ? y * stride + (x ^ 1) : y * stride + x;
      const left = x >= bpp ? (bpp === 2 ? data[y * stride + ((x - bpp) ^ 1)] : data[source - bpp]) : 0;
      filtered[out + 1 + x] = (data[source] - left) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = 0; // greyscale
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', await deflate(filtered, { level })), chunk('IEND', Buffer.alloc(0))]);
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
