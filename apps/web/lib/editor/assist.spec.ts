import { decodeCocoRle, encodeCocoRle, maskArea } from '@lesionlab/mask';
import { AssistDraft, dragBox } from './assist';

function rectRle(x0: number, y0: number, x1: number, y1: number) {
  const data = new Uint8Array(16 * 16);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * 16 + x] = 1;
  return encodeCocoRle({ width: 16, height: 16, data });
}

/** An answer of the assist endpoint: the draft and the id it was stored under. */
const answer = (draftId: string, ...box: [number, number, number, number]) => ({ rle: rectRle(...box), draftId });

describe('AI assist draft', () => {
  it('turns a drag into a box clipped to the slice, in either direction, and ignores a click', () => {
    expect(dragBox({ x: 12, y: 3 }, { x: 2, y: 9 }, 16, 16)).toEqual([2, 3, 12, 9]);
    expect(dragBox({ x: -5, y: -5 }, { x: 40, y: 8 }, 16, 16)).toEqual([0, 0, 16, 8]);
    expect(dragBox({ x: 5, y: 5 }, { x: 6, y: 5.5 }, 16, 16)).toBeNull();
  });

  it('unites Shift-added boxes, starts over on a plain box, refines only the latest box, and names the stored drafts on screen', () => {
    const draft = new AssistDraft();
    expect(draft.united()).toBeNull();
    expect(draft.refinement({ x: 1, y: 1, positive: true })).toBeNull();
    draft.addBox([0, 0, 4, 4], answer('a', 0, 0, 4, 4), false);
    draft.addBox([8, 8, 12, 12], answer('b', 8, 8, 12, 12), true);
    expect(maskArea(draft.united()!)).toBe(32);
    expect(draft.refinement({ x: 9, y: 9, positive: false })).toEqual({ box: [8, 8, 12, 12], points: [{ x: 9, y: 9, positive: false }] });
    draft.refineLast([{ x: 9, y: 9, positive: false }], answer('c', 10, 10, 12, 12));
    expect(maskArea(draft.united()!)).toBe(16 + 4);
    expect(draft.draftIds()).toEqual(['a', 'c']);
    draft.addBox([0, 0, 2, 2], answer('d', 0, 0, 2, 2), false);
    expect(draft.boxes).toBe(1);
    expect(draft.draftIds()).toEqual(['d']);
    expect(draft.united()).toEqual(decodeCocoRle(rectRle(0, 0, 2, 2)));
  });
});
