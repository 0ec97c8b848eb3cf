import { assertValidDimensions, BinaryMask, createEmptyMask, MaskSize } from './binary-mask';
import { MaskFormatError } from './errors';

/** COCO run-length encoding, compressed as pycocotools' string. `size` is [height, width]. */
export interface CocoRle {
  size: [number, number];
  counts: string;
}

/** COCO run-length encoding with plain counts ("uncompressed RLE"). `size` is [height, width]. */
export interface UncompressedCocoRle {
  size: [number, number];
  counts: number[];
}

const CHAR_OFFSET = 48;
// 7 characters carry 35 bits: every run length and delta of a mask below 2^31 pixels fits.
const MAX_CHARS_PER_VALUE = 7;
const asciiDecoder = new TextDecoder();

/**
 * Run lengths in COCO order: the mask is read column by column (column-major, as pycocotools
 * reads a Fortran-ordered array), and the first run counts zeros (it is 0 when the first pixel is set).
 */
export function encodeRleCounts(mask: BinaryMask): number[] {
  const { width, data } = mask;
  const area = data.length;
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x; i < area; i += width) {
      if (data[i] === current) {
        run++;
      } else {
        counts.push(run);
        current = data[i];
        run = 1;
      }
    }
  }
  counts.push(run);
  return counts;
}

/** Builds a mask from COCO-ordered run lengths; throws MaskFormatError unless they sum to width * height. */
export function decodeRleCounts(counts: ArrayLike<number>, width: number, height: number): BinaryMask {
  assertValidDimensions(width, height);
  assertCountsCoverArea(counts, width, height);
  const mask = createEmptyMask(width, height);
  let position = 0;
  for (let i = 0; i < counts.length; i++) {
    if (i % 2 === 1) fillColumnMajorRun(mask.data, width, height, position, counts[i]);
    position += counts[i];
  }
  return mask;
}

// Checked before allocating, so bad input cannot make us allocate a mask of the size it claims.
function assertCountsCoverArea(counts: ArrayLike<number>, width: number, height: number): void {
  const area = width * height;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const run = counts[i];
    if (!Number.isInteger(run) || run < 0) {
      throw new MaskFormatError(`RLE count ${i} must be a non-negative integer, got ${run}`);
    }
    total += run;
    if (total > area) {
      throw new MaskFormatError(`RLE counts exceed the mask area ${area} (size [${height}, ${width}]) at count ${i}`);
    }
  }
  if (total !== area) {
    throw new MaskFormatError(`RLE counts sum to ${total}, expected ${area} for size [${height}, ${width}]`);
  }
}

function fillColumnMajorRun(data: Uint8Array, width: number, height: number, start: number, length: number): void {
  let x = Math.floor(start / height);
  let y = start - x * height;
  let index = y * width + x;
  for (let k = 0; k < length; k++) {
    data[index] = 1;
    if (++y === height) {
      y = 0;
      index = ++x;
    } else {
      index += width;
    }
  }
}

/**
 * pycocotools' compressed counts: each value is written 5 bits per character, least significant
 * first, with 0x20 as "more characters follow" and 0x10 of the last character as the sign; from
 * the fourth count on (index > 2, not >= 2, as pycocotools does) the value written is
 * counts[i] - counts[i - 2]. Characters are offset by 48 ('0').
 */
export function countsToCocoString(counts: ArrayLike<number>): string {
  const chars = new Uint8Array(counts.length * MAX_CHARS_PER_VALUE);
  let length = 0;
  for (let i = 0; i < counts.length; i++) {
    let value = i > 2 ? counts[i] - counts[i - 2] : counts[i];
    let more = true;
    while (more) {
      let chunk = value & 0x1f;
      value >>= 5;
      more = chunk & 0x10 ? value !== -1 : value !== 0;
      if (more) chunk |= 0x20;
      chars[length++] = chunk + CHAR_OFFSET;
    }
  }
  return asciiDecoder.decode(chars.subarray(0, length));
}

/** Inverse of countsToCocoString; throws MaskFormatError on characters or values it cannot have written. */
export function cocoStringToCounts(encoded: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < encoded.length) {
    const valueStart = p;
    let value = 0;
    let scale = 1;
    let more = true;
    while (more) {
      if (p >= encoded.length) {
        throw new MaskFormatError(`RLE string is truncated: the value starting at character ${valueStart} is incomplete`);
      }
      if (p - valueStart === MAX_CHARS_PER_VALUE) {
        throw new MaskFormatError(`RLE string has a value longer than ${MAX_CHARS_PER_VALUE} characters at character ${valueStart}`);
      }
      const code = encoded.charCodeAt(p) - CHAR_OFFSET;
      if (code < 0 || code > 0x3f) {
        throw new MaskFormatError(`RLE string has an invalid character ${JSON.stringify(encoded[p])} at position ${p}`);
      }
      value += (code & 0x1f) * scale;
      scale *= 32;
      more = (code & 0x20) !== 0;
      if (!more && code & 0x10) value -= scale;
      p++;
    }
    const index = counts.length;
    const count = index > 2 ? value + counts[index - 2] : value;
    if (count < 0) {
      throw new MaskFormatError(`RLE string decodes to a negative count ${count} at count ${index}`);
    }
    counts.push(count);
  }
  return counts;
}

export function encodeCocoRle(mask: BinaryMask): CocoRle {
  return { size: [mask.height, mask.width], counts: countsToCocoString(encodeRleCounts(mask)) };
}

export function encodeUncompressedCocoRle(mask: BinaryMask): UncompressedCocoRle {
  return { size: [mask.height, mask.width], counts: encodeRleCounts(mask) };
}

/** A mask as COCO run lengths that cover it exactly (column-major, the first run counting zeros). */
export interface RleMask {
  width: number;
  height: number;
  counts: ArrayLike<number>;
}

/**
 * Checks a COCO RLE object as received from a client (compressed string or plain counts): its
 * shape, its size against `expected` when given, and that its counts cover the mask exactly.
 * Throws MaskFormatError.
 */
export function parseCocoRle(rle: unknown, expected?: MaskSize): RleMask {
  if (typeof rle !== 'object' || rle === null) {
    throw new MaskFormatError('RLE must be an object with size and counts');
  }
  const { size, counts } = rle as { size?: unknown; counts?: unknown };
  if (!Array.isArray(size) || size.length !== 2) {
    throw new MaskFormatError('RLE size must be an array [height, width]');
  }
  const [height, width] = size as unknown[];
  if (typeof height !== 'number' || typeof width !== 'number') {
    throw new MaskFormatError('RLE size must hold two numbers [height, width]');
  }
  assertValidDimensions(width, height);
  if (expected && (expected.width !== width || expected.height !== height)) {
    throw new MaskFormatError(`RLE size is [${height}, ${width}], expected [${expected.height}, ${expected.width}]`);
  }
  let values: ArrayLike<number>;
  if (typeof counts === 'string') values = cocoStringToCounts(counts);
  else if (Array.isArray(counts)) values = counts;
  else throw new MaskFormatError('RLE counts must be a string or an array of numbers');
  assertCountsCoverArea(values, width, height);
  return { width, height, counts: values };
}

/** Decodes a COCO RLE object as received from a client, after parseCocoRle's checks. */
export function decodeCocoRle(rle: unknown, expected?: MaskSize): BinaryMask {
  const { width, height, counts } = parseCocoRle(rle, expected);
  return decodeRleCounts(counts, width, height);
}
