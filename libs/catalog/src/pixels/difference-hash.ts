import type { GreyImage } from './grey-image';

const COLUMNS = 9;
const ROWS = 8;

function valueAt(image: GreyImage): (i: number) => number {
  if (image.bitDepth === 8) return (i) => image.data[i];
  return image.pixelRepresentation === 1 ? (i) => image.data.readInt16LE(i * 2) : (i) => image.data.readUInt16LE(i * 2);
}

/**
 * A 64-bit difference hash: the image averaged down to 9x8 cells, one bit per pair of horizontal
 * neighbours (left brighter than right). Near-identical slices differ in few bits. Returned as a
 * signed 64-bit integer, the way PostgreSQL's bigint stores it.
 */
export function differenceHash(image: GreyImage): bigint {
  const read = valueAt(image);
  const cells = new Float64Array(COLUMNS * ROWS);
  const counts = new Uint32Array(COLUMNS * ROWS);
  for (let y = 0; y < image.height; y++) {
    const row = Math.min(ROWS - 1, Math.floor((y * ROWS) / image.height));
    for (let x = 0; x < image.width; x++) {
      const cell = row * COLUMNS + Math.min(COLUMNS - 1, Math.floor((x * COLUMNS) / image.width));
      cells[cell] += read(y * image.width + x);
      counts[cell]++;
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
