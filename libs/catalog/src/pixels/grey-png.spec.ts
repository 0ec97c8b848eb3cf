import zlib from 'node:zlib';
import sharp from 'sharp';
import { DEFAULT_DECODE_LIMITS } from '../../test/hostile-files';
import { encodeGreyPng, encodeGreyPngSync, greyImage16, greyImage8, PNG_SIGNATURE, pngChunk } from '@lesionlab/platform';
import { decodeGrey8Png } from './grey8-png';

function paeth(a: number, b: number, c: number): number {
  const pa = Math.abs(b - c);
  const pb = Math.abs(a - c);
  const pc = Math.abs(a + b - 2 * c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** An 8-bit grey PNG whose row y uses filter (y + shift) % 5: with shifts 0–4 every filter also meets the first row. */
function pngWithEveryFilter(width: number, height: number, pixels: Buffer, shift: number): Buffer {
  const filtered = Buffer.alloc((width + 1) * height);
  const at = (x: number, y: number) => (x >= 0 && y >= 0 ? pixels[y * width + x] : 0);
  for (let y = 0; y < height; y++) {
    const type = (y + shift) % 5;
    filtered[y * (width + 1)] = type;
    for (let x = 0; x < width; x++) {
      const [a, b, c] = [at(x - 1, y), at(x, y - 1), at(x - 1, y - 1)];
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
      filtered[y * (width + 1) + 1 + x] = (pixels[y * width + x] - predicted) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', zlib.deflateSync(filtered)), pngChunk('IEND', Buffer.alloc(0))]);
}

describe('decodeGrey8Png', () => {
  it('reads 8-bit grey PNGs with every row filter exactly as libvips does', async () => {
    const [width, height] = [37, 23];
    let state = 7;
    const pixels = Buffer.from(Array.from({ length: width * height }, (_, i) => ((state = (state * 1103515245 + 12345) % 2 ** 31) >> 16) % 64 + (i % width) * 5));
    for (let shift = 0; shift < 5; shift++) {
      const png = pngWithEveryFilter(width, height, pixels, shift);
      const { data } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect(decodeGrey8Png(png, DEFAULT_DECODE_LIMITS)).toEqual({ width, height, data: pixels });
      expect(data.equals(pixels)).toBe(true);
    }
    const written = await encodeGreyPng(greyImage8(width, height, pixels));
    expect(decodeGrey8Png(written, DEFAULT_DECODE_LIMITS)?.data.equals(pixels)).toBe(true);
  });

  it('leaves any other image, and malformed PNGs, to libvips', async () => {
    const grey = await encodeGreyPng(greyImage8(4, 3, Buffer.alloc(12, 200)));
    const corrupt = Buffer.from(grey);
    corrupt[grey.length - 20] ^= 0xff;
    const others = [
      await sharp({ create: { width: 4, height: 3, channels: 3, background: '#336699' } }).png().toBuffer(),
      await encodeGreyPng(greyImage16(4, 3, new Uint16Array(12).fill(1000))),
      await sharp(Buffer.alloc(12, 200), { raw: { width: 4, height: 3, channels: 1 } }).png({ palette: true }).toBuffer(),
      await sharp(Buffer.alloc(12, 200), { raw: { width: 4, height: 3, channels: 1 } }).jpeg().toBuffer(),
      grey.subarray(0, grey.length - 12),
      corrupt,
    ];
    for (const bytes of others) expect(decodeGrey8Png(bytes, DEFAULT_DECODE_LIMITS)).toBeNull();
  });
});

describe('encodeGreyPngSync', () => {
  it('writes the same bytes as encodeGreyPng, 8-bit and 16-bit', async () => {
    const images = [greyImage8(5, 4, Buffer.from(Array.from({ length: 20 }, (_, i) => i * 13))), greyImage16(3, 2, new Int16Array([-1024, -3, 0, 7, 400, 32767]))];
    for (const image of images) expect(encodeGreyPngSync(image).equals(await encodeGreyPng(image))).toBe(true);
  });
});
