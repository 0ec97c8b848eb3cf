import type { BinaryMask } from './binary-mask';

/** Stands for "no such pixel yet" inside the transform; finite so that differences of two stay numbers. */
const FAR = 1e20;

/**
 * Squared Euclidean distance from every pixel centre to the nearest pixel centre whose value is
 * `target`, exact: the separable lower-envelope-of-parabolas transform (Felzenszwalb & Huttenlocher),
 * one pass down the columns and one along the rows. Infinity everywhere when no pixel is `target`.
 */
export function squaredDistanceTransform(width: number, height: number, data: Uint8Array, target: 0 | 1): Float64Array {
  const field = new Float64Array(width * height);
  let found = false;
  for (let i = 0; i < field.length; i++) {
    if (data[i] === target) found = true;
    else field[i] = FAR;
  }
  if (!found) return field.fill(Infinity);
  const longest = Math.max(width, height);
  const line = new Float64Array(longest);
  const out = new Float64Array(longest);
  const vertices = new Int32Array(longest);
  const bounds = new Float64Array(longest + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = field[y * width + x];
    lowerEnvelope(line, height, out, vertices, bounds);
    for (let y = 0; y < height; y++) field[y * width + x] = out[y];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) line[x] = field[row + x];
    lowerEnvelope(line, width, out, vertices, bounds);
    for (let x = 0; x < width; x++) field[row + x] = out[x];
  }
  return field;
}

/** out[q] = min over p of (q - p)² + f[p], for q in [0, n). */
function lowerEnvelope(f: Float64Array, n: number, out: Float64Array, vertices: Int32Array, bounds: Float64Array): void {
  let k = 0;
  vertices[0] = 0;
  bounds[0] = -Infinity;
  bounds[1] = Infinity;
  for (let q = 1; q < n; q++) {
    // bounds[0] is -Infinity and every s is finite, so this stops at k = 0 at the latest.
    let s = intersection(f, q, vertices[k]);
    while (s <= bounds[k]) s = intersection(f, q, vertices[--k]);
    k++;
    vertices[k] = q;
    bounds[k] = s;
    bounds[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (bounds[k + 1] < q) k++;
    const v = vertices[k];
    out[q] = (q - v) * (q - v) + f[v];
  }
}

/** Where the parabolas rooted at q and v (v < q) cross. */
function intersection(f: Float64Array, q: number, v: number): number {
  return (f[q] + q * q - (f[v] + v * v)) / (2 * (q - v));
}

/**
 * Signed distance to the mask's edge, in pixels: negative inside, positive outside. A pixel's value is
 * its distance to the nearest pixel of the other kind less half a pixel, so the zero level lies halfway
 * between the centres of the last pixel inside and the first outside. Row-major like the mask.
 * An empty mask is +Infinity everywhere, a full one -Infinity.
 */
export function signedDistance(mask: BinaryMask): Float64Array {
  const { width, height, data } = mask;
  const toInside = squaredDistanceTransform(width, height, data, 1);
  const toOutside = squaredDistanceTransform(width, height, data, 0);
  const out = new Float64Array(data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = data[i] ? 0.5 - Math.sqrt(toOutside[i]) : Math.sqrt(toInside[i]) - 0.5;
  }
  return out;
}
