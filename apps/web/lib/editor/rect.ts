/** A pixel rectangle: x, y of its top-left pixel, width and height in pixels (empty when either is 0). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const EMPTY_RECT: Rect = { x: 0, y: 0, width: 0, height: 0 };

export function isEmptyRect(rect: Rect): boolean {
  return rect.width <= 0 || rect.height <= 0;
}

/** The smallest rectangle holding both (an empty one adds nothing). */
export function unionRect(a: Rect, b: Rect): Rect {
  if (isEmptyRect(a)) return b;
  if (isEmptyRect(b)) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** The part of `rect` inside a width × height image. */
export function clipRect(rect: Rect, width: number, height: number): Rect {
  const x0 = Math.max(0, rect.x);
  const y0 = Math.max(0, rect.y);
  const x1 = Math.min(width, rect.x + rect.width);
  const y1 = Math.min(height, rect.y + rect.height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : EMPTY_RECT;
}

/** `rect` grown by `margin` pixels on every side, clipped to the image. */
export function inflateRect(rect: Rect, margin: number, width: number, height: number): Rect {
  if (isEmptyRect(rect)) return rect;
  return clipRect({ x: rect.x - margin, y: rect.y - margin, width: rect.width + 2 * margin, height: rect.height + 2 * margin }, width, height);
}

/** Copies the rectangle of a row-major image out into a new array of rect.width × rect.height values. */
export function readRect(data: Uint8Array, imageWidth: number, rect: Rect): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  for (let row = 0; row < rect.height; row++) {
    const start = (rect.y + row) * imageWidth + rect.x;
    out.set(data.subarray(start, start + rect.width), row * rect.width);
  }
  return out;
}

/** Writes values read by readRect back into the rectangle of a row-major image. */
export function writeRect(data: Uint8Array, imageWidth: number, rect: Rect, values: Uint8Array): void {
  for (let row = 0; row < rect.height; row++) {
    data.set(values.subarray(row * rect.width, (row + 1) * rect.width), (rect.y + row) * imageWidth + rect.x);
  }
}
