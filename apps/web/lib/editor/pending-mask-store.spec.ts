import { MemoryPendingMaskStore, type OwnedPendingMask, type PendingMask } from './pending-mask-store';

const draft = (sliceId: string, seq = 1): PendingMask => ({ sliceId, baseRevisionId: null, rle: { size: [2, 2], counts: '13' }, state: 'draft', seq, updatedAt: '2026-12-06T00:00:00Z' });

describe('pending masks of one browser shared by several users', () => {
  it('offers a user only their own unsaved drafts', async () => {
    const browser = new Map<string, OwnedPendingMask>();
    const ann = new MemoryPendingMaskStore('ann@example.org', browser);
    await ann.put(draft('slice-1'));
    await ann.put(draft('slice-2'));

    const bob = new MemoryPendingMaskStore('bob@example.org', browser);
    expect(await bob.get('slice-1')).toBeUndefined();
    expect(await bob.list()).toEqual([]);
    await bob.put(draft('slice-1', 7));
    await bob.delete('slice-2');

    const annAgain = new MemoryPendingMaskStore('ann@example.org', browser);
    expect((await annAgain.list()).map((m) => [m.sliceId, m.seq])).toEqual([
      ['slice-1', 1],
      ['slice-2', 1],
    ]);
    expect(await annAgain.get('slice-1')).toEqual(draft('slice-1'));
    expect((await bob.list()).map((m) => [m.sliceId, m.seq])).toEqual([['slice-1', 7]]);
  });
});
