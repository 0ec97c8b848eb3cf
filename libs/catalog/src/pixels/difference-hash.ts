import type { GreyImage } from '@lesionlab/platform';

const COLUMNS = 9;
const ROWS = 8;

/** The image's values as a typed array view (no copy), whatever its bit depth and sign. */
function valuesOf(image: GreyImage): Uint8Array | Uint16Array | Int16Array {
  if (image.bitDepth === 8) return image.data;
  // a 16-bit view needs an even byte offset; copy in the rare case the buffer has none
  const bytes = image.data.byteOffset % 2 === 0 ? image.data : Buffer.from(image.data);
  const Kind = image.pixelRepresentation === 1 ? Int16Array : Uint16Array;
  return new Kind(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length / 2);
}

/**
 * A 64-bit difference hash: the image averaged down to 9x8 cells, one bit per pair of horizontal
 * neighbours (left brighter than right). Near-identical slices differ in few bits. Returned as a
 * signed 64-bit integer, the way PostgreSQL's bigint stores it. (16-bit values are read as stored,
 * little-endian, which is the byte order of every machine this runs on.)
 */
export function differenceHash(image: GreyImage): bigint {
  const values = valuesOf(image);
  const cells = new Float64Array(COLUMNS * ROWS);
  const counts = new Uint32Array(COLUMNS * ROWS);
  // Each cell covers a run of columns; summing a run in a local is much faster than per-pixel cell lookups.
  const columnEnds = Array.from({ length: COLUMNS }, (_, column) => Math.ceil(((column + 1) * image.width) / COLUMNS));
  for (let y = 0; y < image.height; y++) {
    const rowStart = Math.min(ROWS - 1, Math.floor((y * ROWS) / image.height)) * COLUMNS;
    const offset = y * image.width;
    let x = 0;
    for (let column = 0; column < COLUMNS; column++) {
      const end = columnEnds[column];
      let sum = 0;
      counts[rowStart + column] += end - x;
      for (; x < end; x++) sum += values[offset + x];
      cells[rowStart + column] += sum;
    }
  }
  let hash = 0n;
  for (let row = 0; row < ROWS; row++) {
    for (let column = 0; column < COLUMNS - 1; column++) {
      const left = cells[row * COLUMNS + column] / Math.max(1, counts[row * COLUMNS + column]);
      const right = cells[row * COLUMNS + column + 1] / Math.max(1, counts[row * COLUMNS + column + 1]);
      hash = (hash << 1n) | (left > right ? 1n : 0n);
    }
  }
  return BigInt.asIntN(64, hash);
}
