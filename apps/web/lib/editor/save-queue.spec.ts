import type { CocoRle, MaskOriginClaim, MaskRevision, SaveMask } from '@lesionlab/contracts';
import { createEmptyMask, decodeCocoRle, encodeCocoRle, maskArea } from '@lesionlab/mask';
import { TransientSaveError, type MaskApi, type SaveOutcome } from './mask-api';
import { MemoryPendingMaskStore } from './pending-mask-store';
import { SaveQueue, type Scheduler, type SliceSaveState } from './save-queue';

const SLICE = '00000000-0000-4000-8000-000000000001';

/** A labels API in memory with the server's rules: If-Match must name the current revision. */
class FakeMaskServer implements MaskApi {
  revisions: MaskRevision[] = [];
  online = true;
  puts: Array<{ baseRevisionId: string | null; area: number }> = [];
  bodies: SaveMask[] = [];
  /** Runs while a save is in flight, before the server answers. */
  duringSave: (() => Promise<void>) | null = null;

  async getMask(): Promise<MaskRevision | null> {
    return this.revisions.at(-1) ?? null;
  }

  async saveMask(sliceId: string, body: SaveMask, baseRevisionId: string | null): Promise<SaveOutcome> {
    if (!this.online) throw new TransientSaveError('Failed to fetch');
    this.puts.push({ baseRevisionId, area: maskArea(decodeCocoRle(body.rle)) });
    this.bodies.push(body);
    const during = this.duringSave;
    this.duringSave = null;
    await during?.();
    const current = this.revisions.at(-1) ?? null;
    if ((current?.revisionId ?? null) !== baseRevisionId) return { kind: 'conflict', current: current! };
    return { kind: 'saved', revisionId: this.add(sliceId, body.rle, 'someone', body.state).revisionId, revision: null };
  }

  add(sliceId: string, rle: CocoRle, author: string, state: 'draft' | 'submitted' = 'draft'): MaskRevision {
    const n = this.revisions.length + 1;
    const revision: MaskRevision = {
      revisionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      sliceId,
      class: 'opacification',
      rle,
      author,
      source: 'human',
      parentId: this.revisions.at(-1)?.revisionId ?? null,
      state,
      reviewComment: null,
      area: maskArea(decodeCocoRle(rle)),
      createdAt: new Date().toISOString(),
    };
    this.revisions.push(revision);
    return revision;
  }
}

/** Timers run only when the test says so. */
function manualClock() {
  let tasks: Array<{ task: () => void; ms: number }> = [];
  const schedule: Scheduler = (task, ms) => {
    const entry = { task, ms };
    tasks.push(entry);
    return () => {
      tasks = tasks.filter((t) => t !== entry);
    };
  };
  const runAll = async () => {
    const due = tasks;
    tasks = [];
    due.forEach((t) => t.task());
    await settle();
  };
  return { schedule, runAll, pendingDelays: () => tasks.map((t) => t.ms) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function rleWithPixels(indices: number[]): CocoRle {
  const mask = createEmptyMask(8, 8);
  for (const i of indices) mask.data[i] = 1;
  return encodeCocoRle(mask);
}

function setup() {
  const server = new FakeMaskServer();
  const store = new MemoryPendingMaskStore();
  const clock = manualClock();
  const states: SliceSaveState[] = [];
  const queue = new SaveQueue({ api: server, store, schedule: clock.schedule, autosaveDelayMs: 2500, retryDelayMs: 1000, onChange: (_, s) => states.push(s) });
  return { server, store, clock, queue, states };
}

describe('SaveQueue', () => {
  it('stores a change locally at once and sends it after the autosave delay with If-None-Match on a new slice', async () => {
    const { server, store, clock, queue } = setup();
    await queue.open(SLICE, null, null);
    await queue.record(SLICE, rleWithPixels([1, 2]));
    expect(queue.state(SLICE).status).toBe('unsaved');
    expect((await store.get(SLICE))?.rle).toEqual(rleWithPixels([1, 2]));
    expect(server.puts).toHaveLength(0);
    expect(clock.pendingDelays()).toEqual([2500]);
    await clock.runAll();
    expect(server.puts).toEqual([{ baseRevisionId: null, area: 2 }]);
    expect(queue.state(SLICE)).toMatchObject({ status: 'saved', revisionId: server.revisions[0].revisionId });
    expect(await store.get(SLICE)).toBeUndefined();
  });

  it('shows unsaved the moment an edit is recorded, before the browser store has written it', async () => {
    const { queue } = setup();
    await queue.open(SLICE, null, null);
    expect(queue.state(SLICE).status).toBe('saved');
    const recording = queue.record(SLICE, rleWithPixels([3]));
    expect(queue.state(SLICE).status).toBe('unsaved');
    await recording;
    expect(queue.state(SLICE).status).toBe('unsaved');
  });

  it('sends the draft a mask started from until a save carrying it is acknowledged, and each active second once', async () => {
    const { server, queue } = setup();
    await queue.open(SLICE, null, null);
    const origin = { kind: 'suggestion' as const, revisionId: '00000000-0000-4000-8000-0000000000aa' };
    await queue.record(SLICE, rleWithPixels([1]), 'draft', { origin, activeSeconds: 4 });
    await queue.record(SLICE, rleWithPixels([1, 2]), 'draft', { activeSeconds: 1.5 });
    // An edit lands while the first save is in flight: it is sent next, with only its own seconds and no origin.
    server.duringSave = () => queue.record(SLICE, rleWithPixels([1, 2, 3]), 'draft', { activeSeconds: 2 });
    await queue.flush(SLICE);
    await queue.flush(SLICE);
    expect(server.bodies.map((body) => [body.origin, body.activeSeconds, maskArea(decodeCocoRle(body.rle))])).toEqual([
      [origin, 5.5, 2],
      [undefined, 2, 3],
    ]);
  });

  it('the next save names the acknowledged revision in If-Match', async () => {
    const { server, queue } = setup();
    await queue.open(SLICE, null, null);
    await queue.record(SLICE, rleWithPixels([1]));
    await queue.flush(SLICE);
    await queue.record(SLICE, rleWithPixels([1, 9]));
    await queue.flush(SLICE);
    expect(server.puts.map((p) => p.baseRevisionId)).toEqual([null, server.revisions[0].revisionId]);
    expect(server.revisions).toHaveLength(2);
  });

  it('keeps the change while offline, retries with back-off, and delivers it when the network is back', async () => {
    const { server, store, clock, queue } = setup();
    await queue.open(SLICE, null, null);
    server.online = false;
    await queue.record(SLICE, rleWithPixels([3]));
    await queue.flush(SLICE);
    expect(queue.state(SLICE).status).toBe('offline');
    expect(clock.pendingDelays()).toEqual([1000]);
    await clock.runAll();
    expect(clock.pendingDelays()).toEqual([2000]);
    expect(await store.get(SLICE)).toBeDefined();
    server.online = true;
    await clock.runAll();
    expect(queue.state(SLICE).status).toBe('saved');
    expect(server.revisions).toHaveLength(1);
    expect(await store.get(SLICE)).toBeUndefined();
  });

  it('a change made while a save is in flight is kept and sent next, on top of the new revision', async () => {
    const { server, store, queue } = setup();
    await queue.open(SLICE, null, null);
    await queue.record(SLICE, rleWithPixels([1]));
    const saving = queue.flush(SLICE);
    await queue.record(SLICE, rleWithPixels([1, 2, 3]));
    await saving;
    expect(queue.state(SLICE).status).toBe('unsaved');
    expect((await store.get(SLICE))?.baseRevisionId).toBe(server.revisions[0].revisionId);
    await queue.flush(SLICE);
    expect(server.revisions.map((r) => r.area)).toEqual([1, 3]);
    expect(queue.state(SLICE).status).toBe('saved');
  });

  it('what a closed tab left in the store is restored on open and saved', async () => {
    const first = setup();
    await first.queue.open(SLICE, null, null);
    await first.queue.record(SLICE, rleWithPixels([5, 6]));
    // The tab closes before the autosave: a new queue over the same store, as after a reload.
    const queue = new SaveQueue({ api: first.server, store: first.store, schedule: first.clock.schedule });
    const restored = await queue.open(SLICE, null, null);
    expect(restored?.rle).toEqual(rleWithPixels([5, 6]));
    expect(queue.state(SLICE).status).toBe('unsaved');
    await queue.flush(SLICE);
    expect(first.server.revisions.map((r) => r.area)).toEqual([2]);
  });

  it('a mask kept in the browser with an origin claim of an older shape is still saved, without the claim', async () => {
    const first = setup();
    await first.queue.open(SLICE, null, null);
    await first.queue.record(SLICE, rleWithPixels([5, 6]));
    const kept = await first.store.get(SLICE);
    // What an editor of before stored drafts kept: the assist draft's pixels inside the claim.
    await first.store.put({ ...kept!, origin: { kind: 'assist', draft: rleWithPixels([5]) } as unknown as MaskOriginClaim });
    const queue = new SaveQueue({ api: first.server, store: first.store, schedule: first.clock.schedule });
    await queue.open(SLICE, null, null);
    await queue.flush(SLICE);
    expect(first.server.bodies.map((body) => [body.origin, maskArea(decodeCocoRle(body.rle))])).toEqual([[undefined, 2]]);
    expect(queue.state(SLICE).status).toBe('saved');
  });

  describe('a stale write (409)', () => {
    async function conflicted() {
      const context = setup();
      const base = context.server.add(SLICE, rleWithPixels([0]), 'me');
      await context.queue.open(SLICE, base.revisionId, base);
      const theirs = context.server.add(SLICE, rleWithPixels([0, 10, 11]), 'other tab');
      await context.queue.record(SLICE, rleWithPixels([0, 20]));
      await context.queue.flush(SLICE);
      return { ...context, base, theirs };
    }

    it('stops saving and shows both masks', async () => {
      const { queue, store, theirs, clock } = await conflicted();
      const state = queue.state(SLICE);
      expect(state.status).toBe('conflict');
      expect(state.conflict?.theirs.revisionId).toBe(theirs.revisionId);
      expect(state.conflict?.mine.rle).toEqual(rleWithPixels([0, 20]));
      await queue.record(SLICE, rleWithPixels([0, 20, 21]));
      expect(clock.pendingDelays()).toEqual([]);
      expect(await store.get(SLICE)).toBeDefined();
    });

    it('keep mine saves my mask as a new revision on top of theirs', async () => {
      const { queue, server, theirs } = await conflicted();
      const shown = await queue.resolve(SLICE, 'keep-mine');
      expect(shown).toEqual(rleWithPixels([0, 20]));
      expect(server.revisions.at(-1)).toMatchObject({ parentId: theirs.revisionId, area: 2 });
      expect(queue.state(SLICE).status).toBe('saved');
    });

    it('merge saves the union of both', async () => {
      const { queue, server } = await conflicted();
      const shown = await queue.resolve(SLICE, 'merge');
      expect(shown).toEqual(rleWithPixels([0, 10, 11, 20]));
      expect(server.revisions.at(-1)?.area).toBe(4);
    });

    it('take theirs drops mine and shows theirs', async () => {
      const { queue, server, store, theirs } = await conflicted();
      const shown = await queue.resolve(SLICE, 'take-theirs');
      expect(shown).toEqual(theirs.rle);
      expect(server.revisions).toHaveLength(2);
      expect(await store.get(SLICE)).toBeUndefined();
      expect(queue.state(SLICE)).toMatchObject({ status: 'saved', revisionId: theirs.revisionId });
    });

    it('a reload with a stored change on an older revision opens in conflict', async () => {
      const { server, store, clock } = setup();
      const base = server.add(SLICE, rleWithPixels([0]), 'me');
      await store.put({ sliceId: SLICE, baseRevisionId: base.revisionId, rle: rleWithPixels([7]), state: 'draft', seq: 1, updatedAt: '' });
      const theirs = server.add(SLICE, rleWithPixels([8]), 'other');
      const queue = new SaveQueue({ api: server, store, schedule: clock.schedule });
      await queue.open(SLICE, theirs.revisionId, theirs);
      expect(queue.state(SLICE).status).toBe('conflict');
    });
  });

  it('a submission is sent at once with state submitted', async () => {
    const { server, clock, queue } = setup();
    await queue.open(SLICE, null, null);
    await queue.record(SLICE, rleWithPixels([4]), 'submitted');
    expect(clock.pendingDelays()).toEqual([0]);
    await clock.runAll();
    expect(server.revisions[0].state).toBe('submitted');
  });
});
