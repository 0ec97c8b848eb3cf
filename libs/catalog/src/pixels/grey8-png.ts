import zlib from 'node:zlib';
import { PNG_SIGNATURE } from '@lesionlab/platform/pixels';
import { checkSliceSize, type DecodeLimits } from './decode-limits';

/** What a plain 8-bit grey PNG may hold after IHDR: pixels, the end, and text, time or size, which change no pixel. */
const GREY8_CHUNKS = new Set(['IDAT', 'IEND', 'tEXt', 'zTXt', 'iTXt', 'tIME', 'pHYs']);

/** The rows of a PNG's IDAT data after undoing each row's filter (1 byte per pixel); null for an unknown filter. */
function unfilterGrey8(filtered: Buffer, width: number, height: number): Buffer | null {
  if (filtered.length !== (width + 1) * height) return null;
  const out = Buffer.alloc(width * height);
  const above = Buffer.alloc(width); // the first row's "row above": zeros
  for (let y = 0; y < height; y++) {
    const type = filtered[y * (width + 1)];
    const input = filtered.subarray(y * (width + 1) + 1, (y + 1) * (width + 1));
    const row = out.subarray(y * width, (y + 1) * width);
    const up = y > 0 ? out.subarray((y - 1) * width, y * width) : above;
    if (type === 0) input.copy(row);
    else if (type === 1) for (let x = 0; x < width; x++) row[x] = input[x] + (x > 0 ? row[x - 1] : 0);
    else if (type === 2) for (let x = 0; x < width; x++) row[x] = input[x] + up[x];
    else if (type === 3) for (let x = 0; x < width; x++) row[x] = input[x] + (((x > 0 ? row[x - 1] : 0) + up[x]) >> 1);
    else if (type === 4) {
      for (let x = 0; x < width; x++) {
        const a = x > 0 ? row[x - 1] : 0;
        const b = up[x];
        const c = x > 0 ? up[x - 1] : 0;
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        row[x] = input[x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
    } else return null;
  }
  return out;
}

/**
 * Decodes a well-formed 8-bit grey, non-interlaced PNG (the usual mask file) without libvips, whose
 * per-image set-up costs more than decoding a mask. Returns null for any other PNG or anything
 * malformed, so that libvips decodes it and reports the error; throws when IHDR declares more
 * pixels than the limit allows, before inflating anything.
 */
export function decodeGrey8Png(png: Buffer, limits: DecodeLimits): { width: number; height: number; data: Buffer } | null {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let offset = 8; offset + 12 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    if (end > png.length || (zlib.crc32(png.subarray(offset + 4, end - 4)) >>> 0) !== png.readUInt32BE(end - 4)) return null;
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, end - 4);
    if (type === 'IHDR') {
      if (offset !== 8 || length !== 13 || body[8] !== 8 || body[9] !== 0 || body[12] !== 0) return null;
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (!width || !height) return null;
      checkSliceSize(width, height, limits);
    } else if (!width || !GREY8_CHUNKS.has(type)) {
      return null;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      let filtered: Buffer;
      try {
        filtered = zlib.inflateSync(Buffer.concat(idat), { maxOutputLength: (width + 1) * height });
      } catch {
        return null;
      }
      const data = unfilterGrey8(filtered, width, height);
      return data && { width, height, data };
    }
    offset = end;
  }
  return null;
}
