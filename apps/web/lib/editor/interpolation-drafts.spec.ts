import { encodeCocoRle, maskArea, type BinaryMask } from '@lesionlab/mask';
import { InterpolationDrafts } from './interpolation-drafts';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function disc(r: number): BinaryMask {
  const data = new Uint8Array(32 * 32);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) data[y * 32 + x] = (x - 16) ** 2 + (y - 16) ** 2 <= r * r ? 1 : 0;
  return { width: 32, height: 32, data };
}

describe('InterpolationDrafts', () => {
  const sources = {
    lower: { sliceId: ID(1), sliceIndex: 4, revisionId: ID(11), rle: encodeCocoRle(disc(3)) },
    upper: { sliceId: ID(5), sliceIndex: 8, revisionId: ID(15), rle: encodeCocoRle(disc(11)) },
    between: [
      { sliceId: ID(2), sliceIndex: 5, revisionId: null, area: 0, draftId: ID(22) },
      { sliceId: ID(3), sliceIndex: 6, revisionId: ID(13), area: 40, draftId: null },
      { sliceId: ID(4), sliceIndex: 7, revisionId: ID(14), area: 0, draftId: ID(24) },
    ],
  };

  it('draws a draft for each slice between, growing from the lower mask to the upper one', () => {
    const drafts = InterpolationDrafts.from(sources)!;
    const areas = [ID(2), ID(3), ID(4)].map((id) => maskArea(drafts.draftOf(id)!));
    expect(areas[0]).toBeGreaterThan(maskArea(disc(3)));
    expect(areas[1]).toBeGreaterThan(areas[0]);
    expect(areas[2]).toBeGreaterThan(areas[1]);
    expect(areas[2]).toBeLessThan(maskArea(disc(11)));
    // A save names the draft the server stored for its slice; a slice with a mask has none.
    expect(drafts.originOf(ID(2))).toEqual({ kind: 'interpolation', draftId: ID(22) });
    expect(drafts.originOf(ID(3))).toBeNull();
  });

  it('fills only slices whose mask is still empty when accepting all', () => {
    const open = InterpolationDrafts.from(sources)!.open();
    expect(open.map((slice) => [slice.sliceId, slice.revisionId, slice.origin])).toEqual([
      [ID(2), null, { kind: 'interpolation', draftId: ID(22) }],
      [ID(4), ID(14), { kind: 'interpolation', draftId: ID(24) }],
    ]);
  });

  it('is null without a masked slice on both sides', () => {
    expect(InterpolationDrafts.from({ ...sources, upper: null, between: [] })).toBeNull();
  });
});
