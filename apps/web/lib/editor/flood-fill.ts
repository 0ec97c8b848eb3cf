import type { BinaryMask } from '@lesionlab/mask';
import { EMPTY_RECT, Rect } from './rect';
import type { Point } from './brush';

/**
 * Sets to `value` the 4-connected region around `seed` whose modality values lie within `tolerance`
 * of the seed's value (e.g. one ground-glass patch). Returns the rectangle touched.
 */
export function floodFillByIntensity(mask: BinaryMask, values: Float32Array, seed: Point, tolerance: number, value: 0 | 1): Rect {
  const { width, height, data } = mask;
  const sx = Math.floor(seed.x);
  const sy = Math.floor(seed.y);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return EMPTY_RECT;
  const low = values[sy * width + sx] - tolerance;
  const high = values[sy * width + sx] + tolerance;
  const visited = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let top = 0;
  let minX = sx;
  let maxX = sx;
  let minY = sy;
  let maxY = sy;
  stack[top++] = sy * width + sx;
  visited[sy * width + sx] = 1;
  while (top > 0) {
    const index = stack[--top];
    data[index] = value;
    const y = (index / width) | 0;
    const x = index - y * width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (x > 0) top = visit(index - 1, top);
    if (x < width - 1) top = visit(index + 1, top);
    if (y > 0) top = visit(index - width, top);
    if (y < height - 1) top = visit(index + width, top);
  }
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };

  function visit(neighbour: number, stackTop: number): number {
    if (visited[neighbour]) return stackTop;
    visited[neighbour] = 1;
    const v = values[neighbour];
    if (v < low || v > high) return stackTop;
    stack[stackTop] = neighbour;
    return stackTop + 1;
  }
}
