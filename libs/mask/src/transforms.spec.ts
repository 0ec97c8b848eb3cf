import fc from 'fast-check';
import { MaskFormatError } from './errors';
import { arbitraryMask, maskFromRows } from './testing/arbitrary-mask';
import { flipHorizontal, flipVertical, resizeNearest, transpose } from './transforms';

describe('transforms', () => {
  const mask = maskFromRows([
    '##.', //
    '...',
    '..#',
    '.#.',
  ]);

  it('flip horizontally and vertically', () => {
    expect(flipHorizontal(mask)).toEqual(maskFromRows(['.##', '...', '#..', '.#.']));
    expect(flipVertical(mask)).toEqual(maskFromRows(['.#.', '..#', '...', '##.']));
  });

  it('transpose swaps the axes and the size', () => {
    expect(transpose(mask)).toEqual(maskFromRows(['#...', '#..#', '..#.']));
  });

  it('flips and transposition are involutions, and two flips make a half turn', () => {
    fc.assert(
      fc.property(arbitraryMask(), (m) => {
        expect(flipHorizontal(flipHorizontal(m))).toEqual(m);
        expect(flipVertical(flipVertical(m))).toEqual(m);
        expect(transpose(transpose(m))).toEqual(m);
        // A half turn moves pixel i of the row-major buffer to the mirrored index.
        expect(Array.from(flipVertical(flipHorizontal(m)).data)).toEqual(Array.from(m.data).reverse());
      }),
    );
  });

  it('resize by nearest neighbour samples the source pixel under each target centre', () => {
    expect(resizeNearest(maskFromRows(['#.', '.#']), 4, 4)).toEqual(maskFromRows(['##..', '##..', '..##', '..##']));
    // Target centres fall on source columns 1, 3, 5 and source row 1.
    expect(resizeNearest(maskFromRows(['#..#..', '.#...#', '.##...']), 3, 1)).toEqual(maskFromRows(['#.#']));
    expect(resizeNearest(maskFromRows(['#.#']), 3, 2)).toEqual(maskFromRows(['#.#', '#.#']));
  });

  it('resize to the same size is the identity, and an integer upscale is undone by the downscale', () => {
    fc.assert(
      fc.property(arbitraryMask(20), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (m, sx, sy) => {
        expect(resizeNearest(m, m.width, m.height)).toEqual(m);
        const up = resizeNearest(m, m.width * sx, m.height * sy);
        expect(resizeNearest(up, m.width, m.height)).toEqual(m);
      }),
    );
  });

  it('resize refuses a target size that is not positive integers', () => {
    expect(() => resizeNearest(mask, 0, 3)).toThrow(MaskFormatError);
  });
});
