import { encodeCocoRle, type CocoRle } from '@lesionlab/mask';
import { createLabelsTestContext, type LabelsTestContext } from '../../test/labels-test-app';
import { createSliceFixture, ellipseMask, type SliceFixture } from '../../test/slice-fixtures';
import { NotFoundError, RevisionConflictError } from '../errors';
import type { Precondition } from '../precondition';
import { MaskRevisionsRepository } from './mask-revisions.repository';
import { SaveMaskUseCase } from './save-mask.usecase';

/** The save as one statement (save_mask_revision) against the rules it shares with the TypeScript side. */
describe('SaveMaskUseCase on PostgreSQL', () => {
  let context: LabelsTestContext;
  let saveMask: SaveMaskUseCase;
  let revisions: MaskRevisionsRepository;

  beforeAll(async () => {
    context = await createLabelsTestContext();
    saveMask = context.app.get(SaveMaskUseCase);
    revisions = context.app.get(MaskRevisionsRepository);
  });
  afterAll(() => context.close());

  const lesion = (slice: SliceFixture, seed: number): CocoRle =>
    encodeCocoRle({ width: slice.width, height: slice.height, data: ellipseMask(slice.width, slice.height, 40, 60, 4 + seed, 5) });
  const ifMatch = (revisionId: string): Precondition => ({ kind: 'if-match', revisionId });
  const save = (slice: SliceFixture, author: string, precondition: Precondition, state: 'draft' | 'submitted' = 'draft', seed = 1) =>
    saveMask.execute({ sliceId: slice.sliceId, class: 'opacification', rle: lesion(slice, seed), state, author, precondition });
  const conflictOf = (attempt: Promise<unknown>) => attempt.then(
    () => Promise.reject(new Error('expected a conflict')),
    (error: unknown) => {
      if (!(error instanceof RevisionConflictError)) throw error;
      return error;
    },
  );
  const supervisionOf = async (slice: SliceFixture) => (await context.dataSource.query('SELECT supervision FROM slices WHERE id = $1', [slice.sliceId]))[0].supervision;

  it('bases each save on the revision MaskRevisionsRepository.current names for its author, and keeps stale ones as marked drafts', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const current = async (author: string) => (await revisions.current(slice.sliceId, 'opacification', author))?.id ?? null;

    const annFirst = await save(slice, 'ann', { kind: 'if-none-match' });
    // ann's draft is private: bob has no current revision yet.
    expect(await current('bob')).toBeNull();
    const bobFirst = await save(slice, 'bob', { kind: 'if-none-match' }, 'submitted');
    expect(bobFirst).toMatchObject({ parentId: null, state: 'submitted', conflictWith: null });

    // bob's submission is now current for ann too (newer than her draft): her stale base conflicts.
    expect(await current('ann')).toBe(bobFirst.revisionId);
    const stale = await conflictOf(save(slice, 'ann', ifMatch(annFirst.revisionId), 'submitted', 2));
    expect(stale.current?.revisionId).toBe(bobFirst.revisionId);
    expect(stale.kept).toMatchObject({ author: 'ann', state: 'draft', parentId: annFirst.revisionId, conflictWith: bobFirst.revisionId });
    // The kept draft stays out of ann's line until she saves on top of the current revision.
    expect(await current('ann')).toBe(bobFirst.revisionId);
    const annOnTop = await save(slice, 'ann', ifMatch(bobFirst.revisionId), 'draft', 3);
    expect(annOnTop).toMatchObject({ parentId: bobFirst.revisionId, state: 'draft', conflictWith: null, author: 'ann', source: 'human' });
    expect(await current('ann')).toBe(annOnTop.revisionId);
    expect(await current('bob')).toBe(bobFirst.revisionId);
  });

  it('parents a kept draft on its If-Match only when that names a revision of the same slice', async () => {
    const [slice, other] = [await createSliceFixture(context.dataSource, context.storage), await createSliceFixture(context.dataSource, context.storage)];
    const base = await save(slice, 'ann', { kind: 'if-none-match' }, 'submitted');
    const foreign = await save(other, 'ann', { kind: 'if-none-match' }, 'submitted');
    expect((await conflictOf(save(slice, 'bob', ifMatch(foreign.revisionId)))).kept).toMatchObject({ parentId: null, conflictWith: base.revisionId });
    expect((await conflictOf(save(slice, 'bob', ifMatch('not-a-uuid')))).kept).toMatchObject({ parentId: null, conflictWith: base.revisionId });
    expect((await conflictOf(save(other, 'bob', { kind: 'if-none-match' }))).kept).toMatchObject({ parentId: null, conflictWith: foreign.revisionId });
  });

  it('answers If-Match on a slice without revisions with a conflict naming no current revision', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const conflict = await conflictOf(save(slice, 'ann', ifMatch('00000000-0000-4000-8000-000000000000')));
    expect(conflict.current).toBeNull();
    expect(conflict.kept).toMatchObject({ parentId: null, conflictWith: null, state: 'draft' });
  });

  it('makes the slice pixel-supervised for a submitted save that holds, not for drafts or stale submissions', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const draft = await save(slice, 'ann', { kind: 'if-none-match' });
    expect(await supervisionOf(slice)).toBe('patient');
    await conflictOf(save(slice, 'bob', ifMatch(draft.revisionId), 'submitted'));
    expect(await supervisionOf(slice)).toBe('patient');
    await save(slice, 'ann', ifMatch(draft.revisionId), 'submitted');
    expect(await supervisionOf(slice)).toBe('pixel');
  });

  it('derives warnings from a cached slice context, but never from a stale cohort or accepted mask', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const empty = encodeCocoRle({ width: slice.width, height: slice.height, data: new Uint8Array(slice.width * slice.height) });
    const saveRle = (rle: CocoRle, precondition: Precondition, state: 'draft' | 'submitted' = 'draft') =>
      saveMask.execute({ sliceId: slice.sliceId, class: 'opacification', rle, state, author: 'ann', precondition });
    const codes = (revision: { warnings?: Array<{ code: string }> }) => (revision.warnings ?? []).map((w) => w.code);

    const submitted = await save(slice, 'ann', { kind: 'if-none-match' }, 'submitted');
    expect(codes(submitted)).toEqual([]);
    const firstEmpty = await saveRle(empty, ifMatch(submitted.revisionId));
    expect(codes(firstEmpty)).toEqual([]);

    // A reviewer accepts the lesion: an empty mask is now suspicious, though the cached context said otherwise.
    const approved = await revisions.transaction(async (manager) =>
      revisions.insertReview(manager, (await revisions.byId(submitted.revisionId, manager))!, { state: 'approved', reviewer: 'rev', comment: null }),
    );
    const secondEmpty = await saveRle(empty, ifMatch(approved.id));
    expect(codes(secondEmpty)).toEqual(['empty-mask']);
    expect((await context.dataSource.query('SELECT warnings FROM mask_revision_facts WHERE revision_id = $1', [secondEmpty.revisionId]))[0].warnings).toEqual(secondEmpty.warnings);

    // The patient is relabelled negative: a lesion is now suspicious.
    await context.dataSource.query("UPDATE slices SET cohort = 'negative' WHERE id = $1", [slice.sliceId]);
    const lesionOnNegative = await saveRle(lesion(slice, 2), ifMatch(secondEmpty.revisionId));
    expect(codes(lesionOnNegative)).toEqual(['negative-patient']);
    // A save that was refused for a stale context stored nothing: one revision per save, in order.
    const stored = await context.dataSource.query('SELECT id FROM mask_revisions WHERE slice_id = $1 ORDER BY created_at, id', [slice.sliceId]);
    expect(stored.map((r: { id: string }) => r.id)).toEqual([submitted.revisionId, firstEmpty.revisionId, approved.id, secondEmpty.revisionId, lesionOnNegative.revisionId]);
  });

  it('appends the audit entry it is given only when the save holds', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const audit = { actor: 'ann', actorRole: 'annotator', action: 'PUT /api/slices/:id/mask', ids: { id: slice.sliceId }, status: 201, ip: '127.0.0.1', userAgent: 'spec', requestId: 'spec-1' };
    const saveAudited = (precondition: Precondition) =>
      saveMask.execute({ sliceId: slice.sliceId, class: 'opacification', rle: lesion(slice, 1), state: 'draft', author: 'ann', precondition, audit });
    const held = await saveAudited({ kind: 'if-none-match' });
    await conflictOf(saveAudited({ kind: 'if-none-match' }));
    const entries = await context.dataSource.query("SELECT actor, actor_role, action, ids, status, ip, user_agent, request_id FROM audit_log WHERE ids->>'id' = $1", [slice.sliceId]);
    expect(entries).toEqual([
      { actor: 'ann', actor_role: 'annotator', action: 'PUT /api/slices/:id/mask', ids: { id: slice.sliceId, revisionId: held.revisionId }, status: 201, ip: '127.0.0.1', user_agent: 'spec', request_id: 'spec-1' },
    ]);
  });

  it('stores the derived facts and warnings with the revision, and nothing for an unknown slice', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const saved = await save(slice, 'ann', { kind: 'if-none-match' });
    const [stored] = await context.dataSource.query('SELECT lesion_count, area_px, lesions, warnings FROM mask_revision_facts WHERE revision_id = $1', [saved.revisionId]);
    expect(stored).toEqual({ lesion_count: saved.facts?.lesionCount, area_px: saved.area, lesions: saved.facts?.lesions, warnings: saved.warnings });

    const missing = { ...slice, sliceId: '00000000-0000-4000-8000-000000000000' };
    await expect(save(missing, 'ann', { kind: 'if-none-match' })).rejects.toThrow(NotFoundError);
    const facts = saved.facts!;
    const noSlice = await revisions.saveHuman(
      { sliceId: missing.sliceId, class: 'opacification', author: 'ann', state: 'draft', rle: lesion(slice, 1), precondition: { kind: 'if-none-match' }, basedOn: null, provenance: null, activeSeconds: null },
      { ...facts, outsideBodyPx: 0 },
      [],
    );
    expect(noSlice).toBeNull();
    expect((await context.dataSource.query('SELECT count(*)::int AS n FROM mask_revisions WHERE slice_id = $1', [missing.sliceId]))[0].n).toBe(0);
  });
});
