import { assertSameSize, BinaryMask } from './binary-mask';

/** Pixels in a or b. Throws MaskSizeMismatchError unless both masks have the same size. */
export function union(a: BinaryMask, b: BinaryMask): BinaryMask {
  assertSameSize(a, b);
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] | b.data[i];
  return { width: a.width, height: a.height, data: out };
}

/** Pixels in both a and b. Throws MaskSizeMismatchError unless both masks have the same size. */
export function intersection(a: BinaryMask, b: BinaryMask): BinaryMask {
  assertSameSize(a, b);
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] & b.data[i];
  return { width: a.width, height: a.height, data: out };
}

/** Pixels in a but not in b. Throws MaskSizeMismatchError unless both masks have the same size. */
export function difference(a: BinaryMask, b: BinaryMask): BinaryMask {
  assertSameSize(a, b);
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] & (b.data[i] ^ 1);
  return { width: a.width, height: a.height, data: out };
}
