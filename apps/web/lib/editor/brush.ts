import type { BinaryMask } from '@lesionlab/mask';
import { clipRect, EMPTY_RECT, Rect, unionRect } from './rect';

export interface Point {
  x: number;
  y: number;
}

/**
 * Sets every pixel whose centre lies within `radius` of (cx, cy) to `value` — only where `allowed`
 * is 1 when given (the threshold brush). Coordinates are in image pixels; returns the rectangle touched.
 */
export function stampDisc(mask: BinaryMask, center: Point, radius: number, value: 0 | 1, allowed: Uint8Array | null = null): Rect {
  const { width, data } = mask;
  const rect = clipRect(
    { x: Math.floor(center.x - radius), y: Math.floor(center.y - radius), width: Math.ceil(2 * radius) + 2, height: Math.ceil(2 * radius) + 2 },
    width,
    mask.height,
  );
  const radiusSq = radius * radius;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const dy = y + 0.5 - center.y;
    const remaining = radiusSq - dy * dy;
    if (remaining < 0) continue;
    const half = Math.sqrt(remaining);
    // Pixels x with |x + 0.5 − cx| ≤ half.
    const x0 = Math.max(rect.x, Math.ceil(center.x - half - 0.5));
    const x1 = Math.min(rect.x + rect.width - 1, Math.floor(center.x + half - 0.5));
    const row = y * width;
    if (allowed) {
      for (let x = x0; x <= x1; x++) if (allowed[row + x]) data[row + x] = value;
    } else if (x1 >= x0) {
      data.fill(value, row + x0, row + x1 + 1);
    }
  }
  return rect;
}

/** Stamps discs along the segment from → to, close enough together to leave no gap. */
export function paintSegment(mask: BinaryMask, from: Point, to: Point, radius: number, value: 0 | 1, allowed: Uint8Array | null = null): Rect {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const step = Math.max(0.5, radius / 3);
  const stamps = Math.max(1, Math.ceil(length / step));
  let dirty = EMPTY_RECT;
  for (let i = 1; i <= stamps; i++) {
    const t = i / stamps;
    dirty = unionRect(dirty, stampDisc(mask, { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t }, radius, value, allowed));
  }
  return dirty;
}

/** A brush radius given in millimetres, in pixels of a slice with [row, column] spacing in mm. */
export function millimetresToPixels(radiusMm: number, spacingMm: readonly [number, number]): number {
  return radiusMm / ((spacingMm[0] + spacingMm[1]) / 2);
}

/** 1 where the modality value lies in [min, max]: what the threshold brush may paint. */
export function intensityRangeMap(values: Float32Array, min: number, max: number): Uint8Array {
  const allowed = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) allowed[i] = values[i] >= min && values[i] <= max ? 1 : 0;
  return allowed;
}
