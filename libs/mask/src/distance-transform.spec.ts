import fc from 'fast-check';
import { signedDistance, squaredDistanceTransform } from './distance-transform';
import { arbitraryMask, maskFromRows } from './testing/arbitrary-mask';

/** Every pixel against every target pixel. */
function bruteForce(width: number, height: number, data: Uint8Array, target: 0 | 1): Float64Array {
  const out = new Float64Array(width * height).fill(Infinity);
  for (let p = 0; p < out.length; p++) {
    for (let q = 0; q < out.length; q++) {
      if (data[q] !== target) continue;
      const d = (p % width - (q % width)) ** 2 + (Math.floor(p / width) - Math.floor(q / width)) ** 2;
      if (d < out[p]) out[p] = d;
    }
  }
  return out;
}

describe('squaredDistanceTransform', () => {
  it('gives exact squared Euclidean distances to the nearest target pixel', () => {
    const mask = maskFromRows([
      '#....', //
      '.....',
      '.....',
      '....#',
    ]);
    expect(Array.from(squaredDistanceTransform(mask.width, mask.height, mask.data, 1))).toEqual([
      0, 1, 4, 9, 9, //
      1, 2, 5, 5, 4,
      4, 5, 5, 2, 1,
      9, 9, 4, 1, 0,
    ]);
  });

  it('matches a brute-force search on any mask, towards either value', () => {
    fc.assert(
      fc.property(arbitraryMask(24), fc.constantFrom<0 | 1>(0, 1), ({ width, height, data }, target) => {
        expect(squaredDistanceTransform(width, height, data, target)).toEqual(bruteForce(width, height, data, target));
      }),
      { numRuns: 300 },
    );
  });
});

describe('signedDistance', () => {
  it('is negative inside and positive outside, half a pixel off the nearest pixel of the other kind', () => {
    const mask = maskFromRows(['.....', '.###.', '.###.', '.###.', '.....']);
    const field = signedDistance(mask);
    expect(field[2 * 5 + 2]).toBe(-1.5);
    expect(field[1 * 5 + 1]).toBe(-0.5);
    expect(field[0]).toBeCloseTo(Math.SQRT2 - 0.5, 12);
    expect(field[2 * 5]).toBe(0.5);
  });

  it('is +Infinity everywhere for an empty mask', () => {
    expect(Array.from(signedDistance(maskFromRows(['..', '..'])))).toEqual([Infinity, Infinity, Infinity, Infinity]);
  });
});
