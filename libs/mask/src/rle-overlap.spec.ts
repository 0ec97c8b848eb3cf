import fc from 'fast-check';
import { encodeRleCounts } from './coco-rle';
import { MaskSizeMismatchError } from './errors';
import { rleOverlap } from './rle-overlap';
import { intersection } from './set-operations';
import { maskArea } from './binary-mask';
import { arbitraryMaskPair, maskFromRows } from './testing/arbitrary-mask';

describe('rleOverlap', () => {
  it('counts the pixels of both masks and of their intersection', () => {
    const a = maskFromRows(['##..', '##..']);
    const b = maskFromRows(['.##.', '....']);
    expect(rleOverlap(encodeRleCounts(a), encodeRleCounts(b))).toEqual({ intersection: 1, areaA: 4, areaB: 2 });
  });

  it('agrees with the decoded masks on any pair', () => {
    fc.assert(
      fc.property(arbitraryMaskPair(30), ([a, b]) => {
        expect(rleOverlap(encodeRleCounts(a), encodeRleCounts(b))).toEqual({ intersection: maskArea(intersection(a, b)), areaA: maskArea(a), areaB: maskArea(b) });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses run lengths of different total lengths', () => {
    expect(() => rleOverlap([2, 2], [2, 3])).toThrow(MaskSizeMismatchError);
    expect(() => rleOverlap([5], [2, 2])).toThrow(MaskSizeMismatchError);
  });
});
