import { assertValidDimensions, BinaryMask, createEmptyMask, MaskSize } from './binary-mask';
import { MaskFormatError } from './errors';

/*
 * LesionLab's compact binary mask form, for storage and transfer:
 *   bytes 0-3  magic "LLMK"
 *   byte  4    format version (1)
 *   varint     width
 *   varint     height
 *   varint     number of runs
 *   varints    run lengths in row-major order, alternating 0s and 1s, starting with 0s
 * Varints are unsigned LEB128 (7 bits per byte, least significant first, 0x80 = more bytes follow).
 * Only the first run may be empty, and the runs must cover the mask exactly.
 */
const MAGIC = [0x4c, 0x4c, 0x4d, 0x4b];
export const COMPACT_MASK_VERSION = 1;
const HEADER_BYTES = MAGIC.length + 1;
const MAX_VARINT_BYTES = 5;
const MAX_VALUE = 0x7fffffff;

function rowMajorRuns(mask: BinaryMask): number[] {
  const { data } = mask;
  const runs: number[] = [];
  let current = 0;
  let run = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === current) {
      run++;
    } else {
      runs.push(run);
      current = data[i];
      run = 1;
    }
  }
  runs.push(run);
  return runs;
}

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    length++;
  }
  return length;
}

function writeVarint(bytes: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    bytes[offset++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 0x80);
  }
  bytes[offset++] = value;
  return offset;
}

export function encodeCompactMask(mask: BinaryMask): Uint8Array {
  const runs = rowMajorRuns(mask);
  let length = HEADER_BYTES + varintLength(mask.width) + varintLength(mask.height) + varintLength(runs.length);
  for (let i = 0; i < runs.length; i++) length += varintLength(runs[i]);
  const bytes = new Uint8Array(length);
  bytes.set(MAGIC, 0);
  bytes[MAGIC.length] = COMPACT_MASK_VERSION;
  let offset = writeVarint(bytes, HEADER_BYTES, mask.width);
  offset = writeVarint(bytes, offset, mask.height);
  offset = writeVarint(bytes, offset, runs.length);
  for (let i = 0; i < runs.length; i++) offset = writeVarint(bytes, offset, runs[i]);
  return bytes;
}

class VarintReader {
  offset = HEADER_BYTES;

  constructor(private readonly bytes: Uint8Array) {}

  read(what: string): number {
    const start = this.offset;
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.offset >= this.bytes.length) {
        throw new MaskFormatError(`compact mask is truncated: ${what} at byte ${start} is incomplete`);
      }
      if (this.offset - start === MAX_VARINT_BYTES) {
        throw new MaskFormatError(`compact mask has an over-long varint for ${what} at byte ${start}`);
      }
      const byte = this.bytes[this.offset++];
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
      if ((byte & 0x80) === 0) break;
    }
    if (value > MAX_VALUE) {
      throw new MaskFormatError(`compact mask has ${what} ${value} at byte ${start}, above 2^31 - 1`);
    }
    return value;
  }
}

/**
 * Decodes encodeCompactMask's output, checking the size against `expected` when given;
 * throws MaskFormatError on any other bytes.
 */
export function decodeCompactMask(bytes: Uint8Array, expected?: MaskSize): BinaryMask {
  if (bytes.length < HEADER_BYTES || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new MaskFormatError('compact mask does not start with the "LLMK" magic bytes');
  }
  const version = bytes[MAGIC.length];
  if (version !== COMPACT_MASK_VERSION) {
    throw new MaskFormatError(`compact mask version ${version} is not supported (expected ${COMPACT_MASK_VERSION})`);
  }
  const reader = new VarintReader(bytes);
  const width = reader.read('width');
  const height = reader.read('height');
  assertValidDimensions(width, height);
  if (expected && (expected.width !== width || expected.height !== height)) {
    throw new MaskFormatError(`compact mask is ${width}x${height}, expected ${expected.width}x${expected.height}`);
  }
  const runs = readRuns(reader, width * height);
  if (reader.offset !== bytes.length) {
    throw new MaskFormatError(`compact mask has ${bytes.length - reader.offset} unexpected trailing bytes`);
  }
  const mask = createEmptyMask(width, height);
  let position = 0;
  for (let i = 0; i < runs.length; i++) {
    if (i % 2 === 1) mask.data.fill(1, position, position + runs[i]);
    position += runs[i];
  }
  return mask;
}

// Reads and checks every run before the mask is allocated, so bad input cannot make us allocate the size it claims.
function readRuns(reader: VarintReader, area: number): number[] {
  const runCount = reader.read('run count');
  if (runCount < 1 || runCount > area + 1) {
    throw new MaskFormatError(`compact mask has ${runCount} runs, impossible for ${area} pixels`);
  }
  const runs: number[] = [];
  let total = 0;
  for (let i = 0; i < runCount; i++) {
    const run = reader.read(`run ${i}`);
    if (run === 0 && i > 0) throw new MaskFormatError(`compact mask has an empty run ${i}`);
    total += run;
    if (total > area) throw new MaskFormatError(`compact mask runs exceed the mask area ${area} at run ${i}`);
    runs.push(run);
  }
  if (total !== area) {
    throw new MaskFormatError(`compact mask runs sum to ${total}, expected ${area}`);
  }
  return runs;
}
