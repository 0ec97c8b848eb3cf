/** The size of width×height scaled to fit inside size×size, keeping the aspect ratio (libvips' `fit: inside`). */
export function fitInside(width: number, height: number, size: number): { width: number; height: number } {
  const scale = Math.min(size / width, size / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * For each output position along one axis, the input positions it covers and their shares: output
 * pixel o spans [o·n/m, (o+1)·n/m) of the input, and each input pixel counts by how much of it lies inside.
 */
function coverage(inputLength: number, outputLength: number): { first: Int32Array; count: Int32Array; weights: Float32Array; stride: number } {
  const span = inputLength / outputLength;
  const stride = Math.ceil(span) + 1;
  const first = new Int32Array(outputLength);
  const count = new Int32Array(outputLength);
  const weights = new Float32Array(outputLength * stride);
  for (let o = 0; o < outputLength; o++) {
    const start = o * span;
    const end = Math.min(inputLength, (o + 1) * span);
    const from = Math.floor(start);
    const to = Math.min(inputLength, Math.ceil(end));
    first[o] = from;
    count[o] = to - from;
    for (let i = from; i < to; i++) weights[o * stride + i - from] = (Math.min(end, i + 1) - Math.max(start, i)) / span;
  }
  return { first, count, weights, stride };
}

/**
 * Resamples an 8-bit grey image by area averaging: each output pixel is the mean of the input area
 * it covers (a box filter; enlarging repeats or blends neighbouring pixels). Rows first, then columns.
 */
export function resizeGrey8(data: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Buffer {
  const { first: columnFirst, count: columnCount, weights: columnWeights, stride: columnStride } = coverage(width, outWidth);
  const across = new Float64Array(height * outWidth);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const target = y * outWidth;
    for (let o = 0; o < outWidth; o++) {
      const base = row + columnFirst[o];
      const weights = o * columnStride;
      const count = columnCount[o];
      let sum = 0;
      for (let k = 0; k < count; k++) sum += data[base + k] * columnWeights[weights + k];
      across[target + o] = sum;
    }
  }
  const { first: rowFirst, count: rowCount, weights: rowWeights, stride: rowStride } = coverage(height, outHeight);
  const out = Buffer.alloc(outWidth * outHeight);
  const sums = new Float64Array(outWidth);
  for (let o = 0; o < outHeight; o++) {
    sums.fill(0);
    for (let k = 0; k < rowCount[o]; k++) {
      const weight = rowWeights[o * rowStride + k];
      const source = (rowFirst[o] + k) * outWidth;
      for (let x = 0; x < outWidth; x++) sums[x] += across[source + x] * weight;
    }
    const target = o * outWidth;
    for (let x = 0; x < outWidth; x++) out[target + x] = Math.min(255, sums[x] + 0.5); // a Buffer truncates: +0.5 rounds
  }
  return out;
}
