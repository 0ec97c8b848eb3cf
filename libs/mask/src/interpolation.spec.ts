import fc from 'fast-check';
import { BinaryMask, createEmptyMask } from './binary-mask';
import { connectedComponents } from './components';
import { MaskSizeMismatchError } from './errors';
import { interpolateBetween } from './interpolation';
import { arbitraryMask, maskFrom } from './testing/arbitrary-mask';

const SIZE = 64;

interface Disc {
  cx: number;
  cy: number;
  r: number;
}

function discMask(...discs: Disc[]): BinaryMask {
  return maskFrom(SIZE, SIZE, (x, y) => discs.some(({ cx, cy, r }) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r));
}

const lerp = (a: Disc, b: Disc, t: number): Disc => ({ cx: a.cx + t * (b.cx - a.cx), cy: a.cy + t * (b.cy - a.cy), r: a.r + t * (b.r - a.r) });

/**
 * The pixels of `mask` within `region` (a square around the expected disc) that fall on the wrong side
 * of the expected disc's edge, leaving out those whose centre lies within `band` pixels of that edge:
 * a disc drawn on a pixel grid is only defined up to where the edge cuts pixels.
 */
function misplaced(mask: BinaryMask, expected: Disc | null, region: Disc, band = 0.5): string[] {
  const wrong: string[] = [];
  const reach = Math.ceil(region.r) + 2;
  for (let y = Math.floor(region.cy) - reach; y <= Math.ceil(region.cy) + reach; y++) {
    for (let x = Math.floor(region.cx) - reach; x <= Math.ceil(region.cx) + reach; x++) {
      const inside = mask.data[y * SIZE + x] === 1;
      if (!expected) {
        if (inside) wrong.push(`(${x},${y}) should be empty`);
        continue;
      }
      const fromEdge = Math.hypot(x - expected.cx, y - expected.cy) - expected.r;
      if (inside && fromEdge >= band) wrong.push(`(${x},${y}) is ${fromEdge.toFixed(2)} px outside`);
      if (!inside && fromEdge <= -band) wrong.push(`(${x},${y}) is ${(-fromEdge).toFixed(2)} px inside`);
    }
  }
  return wrong;
}

describe('interpolateBetween', () => {
  it('fills the 3 slices between two concentric discs with discs of the linearly interpolated radius', () => {
    const lower: Disc = { cx: 32, cy: 32, r: 6 };
    const upper: Disc = { cx: 32, cy: 32, r: 14 };
    const between = interpolateBetween(discMask(lower), discMask(upper), 3);
    expect(between).toHaveLength(3);
    between.forEach((mask, i) => {
      const expected = lerp(lower, upper, (i + 1) / 4);
      expect(expected.r).toBe([8, 10, 12][i]);
      expect(misplaced(mask, expected, upper)).toEqual([]);
      expect(connectedComponents(mask).components).toHaveLength(1);
    });
  });

  it('moves a lesion that moves and grows: centre and radius interpolated together', () => {
    const lower: Disc = { cx: 20, cy: 20, r: 7 };
    const upper: Disc = { cx: 31, cy: 27, r: 9 };
    interpolateBetween(discMask(lower), discMask(upper), 3).forEach((mask, i) => {
      const expected = lerp(lower, upper, (i + 1) / 4);
      expect(misplaced(mask, expected, { ...expected, r: 14 })).toEqual([]);
      expect(connectedComponents(mask).components).toHaveLength(1);
    });
  });

  it('shrinks a lesion missing on the upper slice to nothing, and grows one missing on the lower slice from nothing', () => {
    const kept: Disc = { cx: 14, cy: 14, r: 6 };
    const ending: Disc = { cx: 44, cy: 20, r: 12 };
    const starting: Disc = { cx: 20, cy: 48, r: 8 };
    const between = interpolateBetween(discMask(kept, ending), discMask(kept, starting), 3);
    between.forEach((mask, i) => {
      const t = (i + 1) / 4;
      expect(misplaced(mask, kept, kept)).toEqual([]);
      expect(misplaced(mask, { ...ending, r: ending.r * (1 - t) }, ending)).toEqual([]);
      expect(misplaced(mask, { ...starting, r: starting.r * t }, starting)).toEqual([]);
    });
  });

  it('follows each lesion on its own: one grows while the other moves, and they never merge', () => {
    const leftBelow: Disc = { cx: 16, cy: 32, r: 5 };
    const leftAbove: Disc = { cx: 16, cy: 32, r: 11 };
    const rightBelow: Disc = { cx: 44, cy: 22, r: 6 };
    const rightAbove: Disc = { cx: 50, cy: 30, r: 6 };
    interpolateBetween(discMask(leftBelow, rightBelow), discMask(leftAbove, rightAbove), 3).forEach((mask, i) => {
      const t = (i + 1) / 4;
      expect(misplaced(mask, lerp(leftBelow, leftAbove, t), leftAbove)).toEqual([]);
      const right = lerp(rightBelow, rightAbove, t);
      expect(misplaced(mask, right, { ...right, r: 8 })).toEqual([]);
      expect(connectedComponents(mask).components).toHaveLength(2);
    });
  });

  it('spaces the slices evenly: t = i / (count + 1)', () => {
    const lower: Disc = { cx: 32, cy: 32, r: 4 };
    const upper: Disc = { cx: 32, cy: 32, r: 20 };
    const between = interpolateBetween(discMask(lower), discMask(upper), 7);
    between.forEach((mask, i) => expect(misplaced(mask, lerp(lower, upper, (i + 1) / 8), upper)).toEqual([]));
  });

  it('gives back the same mask between two identical slices, whatever its shape', () => {
    fc.assert(
      fc.property(arbitraryMask(32), fc.integer({ min: 1, max: 4 }), (mask, count) => {
        for (const between of interpolateBetween(mask, { ...mask, data: mask.data.slice() }, count)) expect(between.data).toEqual(mask.data);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves the slices between two empty masks empty', () => {
    const empty = createEmptyMask(8, 8);
    expect(interpolateBetween(empty, empty, 2)).toEqual([createEmptyMask(8, 8), createEmptyMask(8, 8)]);
  });

  it('refuses masks of different sizes and a count that is not a positive integer', () => {
    expect(() => interpolateBetween(createEmptyMask(4, 4), createEmptyMask(4, 5), 1)).toThrow(MaskSizeMismatchError);
    expect(() => interpolateBetween(createEmptyMask(4, 4), createEmptyMask(4, 4), 0)).toThrow(RangeError);
    expect(() => interpolateBetween(createEmptyMask(4, 4), createEmptyMask(4, 4), 1.5)).toThrow(/positive integer/);
  });

});
