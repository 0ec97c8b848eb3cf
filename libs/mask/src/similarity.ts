import { assertSameSize, BinaryMask } from './binary-mask';

interface Overlap {
  intersection: number;
  areaA: number;
  areaB: number;
}

function overlap(a: BinaryMask, b: BinaryMask): Overlap {
  assertSameSize(a, b);
  const left = a.data;
  const right = b.data;
  let intersection = 0;
  let areaA = 0;
  let areaB = 0;
  for (let i = 0; i < left.length; i++) {
    areaA += left[i];
    areaB += right[i];
    intersection += left[i] & right[i];
  }
  return { intersection, areaA, areaB };
}

/** Dice coefficient 2|A∩B| / (|A| + |B|); 1 when both masks are empty (they agree perfectly). */
export function dice(a: BinaryMask, b: BinaryMask): number {
  const { intersection, areaA, areaB } = overlap(a, b);
  return areaA + areaB === 0 ? 1 : (2 * intersection) / (areaA + areaB);
}

/** Intersection over union |A∩B| / |A∪B|; 1 when both masks are empty (they agree perfectly). */
export function iou(a: BinaryMask, b: BinaryMask): number {
  const { intersection, areaA, areaB } = overlap(a, b);
  const unionArea = areaA + areaB - intersection;
  return unionArea === 0 ? 1 : intersection / unionArea;
}
