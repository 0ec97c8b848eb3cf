import fc from 'fast-check';
import { BinaryMask } from './binary-mask';
import { MaskSizeMismatchError } from './errors';
import { difference, intersection, union } from './set-operations';
import { arbitraryMaskPair, maskFromRows } from './testing/arbitrary-mask';

/** Reference: applies a boolean rule pixel by pixel through (x, y) coordinates. */
function naive(a: BinaryMask, b: BinaryMask, rule: (inA: boolean, inB: boolean) => boolean): BinaryMask {
  const data = new Uint8Array(a.width * a.height);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const index = y * a.width + x;
      data[index] = rule(a.data[index] === 1, b.data[index] === 1) ? 1 : 0;
    }
  }
  return { width: a.width, height: a.height, data };
}

describe('set operations', () => {
  const a = maskFromRows(['##..', '##..']);
  const b = maskFromRows(['.##.', '....']);

  it('combines two small masks', () => {
    expect(union(a, b)).toEqual(maskFromRows(['###.', '##..']));
    expect(intersection(a, b)).toEqual(maskFromRows(['.#..', '....']));
    expect(difference(a, b)).toEqual(maskFromRows(['#...', '##..']));
    expect(difference(b, a)).toEqual(maskFromRows(['..#.', '....']));
  });

  it('agree with the per-pixel definitions', () => {
    fc.assert(
      fc.property(arbitraryMaskPair(), ([left, right]) => {
        expect(union(left, right)).toEqual(naive(left, right, (p, q) => p || q));
        expect(intersection(left, right)).toEqual(naive(left, right, (p, q) => p && q));
        expect(difference(left, right)).toEqual(naive(left, right, (p, q) => p && !q));
      }),
    );
  });

  it('leave their inputs unchanged', () => {
    const before = [a.data.slice(), b.data.slice()];
    union(a, b);
    intersection(a, b);
    difference(a, b);
    expect([a.data, b.data]).toEqual(before);
  });

  it('refuse masks of different sizes, naming both sizes', () => {
    const other = maskFromRows(['##', '##', '##', '##']);
    for (const operation of [union, intersection, difference]) {
      expect(() => operation(a, other)).toThrow(MaskSizeMismatchError);
      expect(() => operation(a, other)).toThrow('masks differ in size: 4x2 and 2x4');
    }
  });
});
