import type { BinaryMask } from '@lesionlab/mask';
import { clipRect, EMPTY_RECT, Rect } from './rect';
import type { Point } from './brush';

/**
 * Scanline fill of a closed polygon (even–odd rule): sets to `value` every pixel whose centre lies
 * inside. Used by the polygon and lasso tools, to fill (1) or erase (0). Returns the rectangle touched.
 */
export function fillPolygon(mask: BinaryMask, polygon: readonly Point[], value: 0 | 1): Rect {
  if (polygon.length < 3) return EMPTY_RECT;
  const { width, height, data } = mask;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of polygon) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  const bounds = clipRect({ x: Math.floor(minX), y: Math.floor(minY), width: Math.ceil(maxX) - Math.floor(minX) + 1, height: Math.ceil(maxY) - Math.floor(minY) + 1 }, width, height);
  const crossings: number[] = [];
  for (let y = bounds.y; y < bounds.y + bounds.height; y++) {
    const sampleY = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      const a = polygon[j];
      const b = polygon[i];
      // Half-open in y so a vertex on the scanline is counted once.
      if (a.y <= sampleY !== b.y <= sampleY) crossings.push(a.x + ((sampleY - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    crossings.sort((p, q) => p - q);
    const row = y * width;
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixels whose centre x + 0.5 lies in [left, right).
      const x0 = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const x1 = Math.min(width - 1, Math.ceil(crossings[k + 1] - 0.5) - 1);
      if (x1 >= x0) data.fill(value, row + x0, row + x1 + 1);
    }
  }
  return bounds;
}
