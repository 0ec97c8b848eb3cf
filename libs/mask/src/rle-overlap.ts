import { MaskSizeMismatchError } from './errors';

export interface RleOverlap {
  intersection: number;
  areaA: number;
  areaB: number;
}

/**
 * |A ∩ B|, |A| and |B| of two masks given as COCO run lengths over the same pixels (even runs
 * background, odd runs foreground), by walking both run lists together: work grows with the number
 * of runs, and nothing is decoded. Throws MaskSizeMismatchError when they cover different areas.
 */
export function rleOverlap(a: ArrayLike<number>, b: ArrayLike<number>): RleOverlap {
  let areaA = 0;
  let areaB = 0;
  let intersection = 0;
  let ia = 0;
  let ib = 0;
  let leftA = a.length ? a[0] : 0;
  let leftB = b.length ? b[0] : 0;
  for (;;) {
    while (leftA === 0 && ia < a.length - 1) leftA = a[++ia];
    while (leftB === 0 && ib < b.length - 1) leftB = b[++ib];
    if (leftA === 0 || leftB === 0) break;
    const step = Math.min(leftA, leftB);
    const inA = ia % 2;
    const inB = ib % 2;
    areaA += inA * step;
    areaB += inB * step;
    intersection += inA & inB ? step : 0;
    leftA -= step;
    leftB -= step;
  }
  // Whatever is left over lies past the other mask's end.
  for (; ia < a.length; leftA = a[++ia] ?? 0) if (leftA) throw new MaskSizeMismatchError('run lengths cover different numbers of pixels');
  for (; ib < b.length; leftB = b[++ib] ?? 0) if (leftB) throw new MaskSizeMismatchError('run lengths cover different numbers of pixels');
  return { intersection, areaA, areaB };
}
