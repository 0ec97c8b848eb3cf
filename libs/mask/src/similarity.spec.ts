import fc from 'fast-check';
import { MaskSizeMismatchError } from './errors';
import { dice, iou } from './similarity';
import { arbitraryMaskPair, maskFromRows } from './testing/arbitrary-mask';

describe('Dice and IoU', () => {
  it('compute the overlap of two small masks', () => {
    // |A| = 4, |B| = 2, |A ∩ B| = 1, |A ∪ B| = 5.
    const a = maskFromRows(['##..', '##..']);
    const b = maskFromRows(['.##.', '....']);
    expect(dice(a, b)).toBeCloseTo(2 / 6, 12);
    expect(iou(a, b)).toBeCloseTo(1 / 5, 12);
  });

  it('are 1 for identical masks, 0 for disjoint ones, and 1 when both are empty', () => {
    const a = maskFromRows(['#.', '.#']);
    const disjoint = maskFromRows(['.#', '#.']);
    const empty = maskFromRows(['..', '..']);
    expect([dice(a, a), iou(a, a)]).toEqual([1, 1]);
    expect([dice(a, disjoint), iou(a, disjoint)]).toEqual([0, 0]);
    expect([dice(a, empty), iou(a, empty)]).toEqual([0, 0]);
    expect([dice(empty, empty), iou(empty, empty)]).toEqual([1, 1]);
  });

  it('are symmetric, lie in [0, 1], and Dice = 2 IoU / (1 + IoU)', () => {
    fc.assert(
      fc.property(arbitraryMaskPair(), ([a, b]) => {
        const d = dice(a, b);
        const j = iou(a, b);
        expect(dice(b, a)).toBe(d);
        expect(iou(b, a)).toBe(j);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
        expect(d).toBeCloseTo((2 * j) / (1 + j), 12);
      }),
    );
  });

  it('refuse masks of different sizes', () => {
    expect(() => dice(maskFromRows(['#']), maskFromRows(['##']))).toThrow(MaskSizeMismatchError);
    expect(() => iou(maskFromRows(['#']), maskFromRows(['#', '#']))).toThrow('masks differ in size: 1x1 and 1x2');
  });
});
