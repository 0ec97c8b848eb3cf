import { BinaryMask, createEmptyMask } from './binary-mask';

/** Mirrors left to right. */
export function flipHorizontal(mask: BinaryMask): BinaryMask {
  const { width, height, data } = mask;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = data[row + width - 1 - x];
  }
  return { width, height, data: out };
}

/** Mirrors top to bottom. */
export function flipVertical(mask: BinaryMask): BinaryMask {
  const { width, height, data } = mask;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    out.set(data.subarray((height - 1 - y) * width, (height - y) * width), y * width);
  }
  return { width, height, data: out };
}

/** Swaps the axes: pixel (x, y) moves to (y, x), and a w x h mask becomes h x w. */
export function transpose(mask: BinaryMask): BinaryMask {
  const { width, height, data } = mask;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[x * height + y] = data[y * width + x];
  }
  return { width: height, height: width, data: out };
}

/**
 * Nearest-neighbour resize with pixel centres aligned: target pixel t samples source pixel
 * floor((t + 0.5) * source / target), computed in integers so no rounding error can shift it.
 */
export function resizeNearest(mask: BinaryMask, width: number, height: number): BinaryMask {
  const out = createEmptyMask(width, height);
  const sourceX = nearestSourceIndices(mask.width, width);
  const sourceY = nearestSourceIndices(mask.height, height);
  const { data } = mask;
  for (let y = 0; y < height; y++) {
    const sourceRow = sourceY[y] * mask.width;
    const row = y * width;
    for (let x = 0; x < width; x++) out.data[row + x] = data[sourceRow + sourceX[x]];
  }
  return out;
}

function nearestSourceIndices(sourceLength: number, targetLength: number): Int32Array {
  const indices = new Int32Array(targetLength);
  for (let t = 0; t < targetLength; t++) {
    indices[t] = Math.floor(((2 * t + 1) * sourceLength) / (2 * targetLength));
  }
  return indices;
}
