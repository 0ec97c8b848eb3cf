import { randomUUID } from 'node:crypto';
import { IMPORTED_MASK_RECORDER, type ImportedMaskRecorder } from '@lesionlab/catalog';
import type { MaskOriginClaim } from '@lesionlab/contracts';
import { encodeCocoRle, interpolateBetween, type BinaryMask } from '@lesionlab/mask';
import { createLabelsTestContext, type LabelsTestContext } from '../../test/labels-test-app';
import { createImportFixture, createSliceFixture, ellipseMask, type SliceFixture } from '../../test/slice-fixtures';
import { MaskDraftsRepository } from '../drafts/mask-drafts.repository';
import { InvalidOriginError } from '../errors';
import { AnnotationStatsQuery } from './annotation-stats.query';
import { InterpolationSourcesQuery } from './interpolation-sources.query';
import { MaskRevisionsQuery } from './mask-revisions.query';
import { MaskRevisionsRepository } from './mask-revisions.repository';
import { SaveMaskUseCase } from './save-mask.usecase';

const SIZE = 128;

/** A mask of the fixture's size with the given rectangles [x, y, width, height] set. */
function rectangles(...boxes: Array<[number, number, number, number]>): BinaryMask {
  const data = new Uint8Array(SIZE * SIZE);
  for (const [x0, y0, w, h] of boxes) for (let y = y0; y < y0 + h; y++) data.fill(1, y * SIZE + x0, y * SIZE + x0 + w);
  return { width: SIZE, height: SIZE, data };
}

const disc = (cx: number, cy: number, r: number): BinaryMask => ({ width: SIZE, height: SIZE, data: ellipseMask(SIZE, SIZE, cx, cy, r, r) });

/** Where each revision's pixels came from and what the person changed: origin, edit statistics, active seconds, on PostgreSQL. */
describe('mask provenance', () => {
  let context: LabelsTestContext;
  let saveMask: SaveMaskUseCase;
  let revisions: MaskRevisionsRepository;
  let query: MaskRevisionsQuery;
  let drafts: MaskDraftsRepository;

  beforeAll(async () => {
    context = await createLabelsTestContext();
    saveMask = context.app.get(SaveMaskUseCase);
    revisions = context.app.get(MaskRevisionsRepository);
    query = context.app.get(MaskRevisionsQuery);
    drafts = context.app.get(MaskDraftsRepository);
  });
  afterAll(() => context.close());

  const save = (slice: SliceFixture, author: string, mask: BinaryMask, options: { basedOn?: string; origin?: MaskOriginClaim; activeSeconds?: number } = {}) =>
    saveMask.execute({
      sliceId: slice.sliceId,
      class: 'opacification',
      rle: encodeCocoRle(mask),
      state: 'draft',
      author,
      precondition: options.basedOn ? { kind: 'if-match', revisionId: options.basedOn } : { kind: 'if-none-match' },
      origin: options.origin,
      activeSeconds: options.activeSeconds,
    });

  const LITEMEDSAM = { name: 'LiteMedSAM', version: '0.1.1' };
  /** An assist answer as POST /api/slices/:id/assist stores it for `author`. */
  const assistDraft = (slice: SliceFixture, author: string, mask: BinaryMask, model = LITEMEDSAM) =>
    drafts.recordAssist({ sliceId: slice.sliceId, author, model, prompt: { box: [1, 1, 60, 60], points: [{ x: 30, y: 30, positive: true }] }, rle: encodeCocoRle(mask) });

  const modelDraft = async (slice: SliceFixture, author: string, mask: BinaryMask) => {
    const rle = encodeCocoRle(mask);
    const facts = { lesionCount: 1, speckCount: 0, minLesionPx: 10, areaPx: 400, areaMm2: null, lungFieldKnown: false, lesions: [], outsideBodyPx: null };
    return context.dataSource.transaction((manager) =>
      revisions.insert(manager, { sliceId: slice.sliceId, class: 'opacification', height: SIZE, width: SIZE, rleCounts: rle.counts, area: 400, author, source: 'model', parentId: null, state: 'draft', reviewComment: null, reviewedBy: null, conflictWith: null, importId: null }, facts, []),
    );
  };

  it('records an accepted suggestion: its model, the pixels added and removed, Dice against it, and the active seconds of the line', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const suggestion = await modelDraft(slice, 'model:jcs:v3', rectangles([20, 20, 20, 20]));
    expect(suggestion.revision.origin).toEqual({ kind: 'suggestion', model: 'model:jcs:v3', revisionId: null });

    // 100 pixels removed (a 5x20 strip of the draft), 100 added (a 10x10 square apart): |S ∩ D| = 300.
    const edited = rectangles([25, 20, 15, 20], [60, 60, 10, 10]);
    const first = await save(slice, 'ann', edited, { origin: { kind: 'suggestion', revisionId: suggestion.revision.id }, activeSeconds: 12 });
    expect(first.origin).toEqual({ kind: 'suggestion', model: 'model:jcs:v3', revisionId: suggestion.revision.id });
    expect(first.edit).toEqual({ draftAreaPx: 400, pixelsAdded: 100, pixelsRemoved: 100, dice: 0.75 });
    expect(first.activeSeconds).toBe(12);

    // A later save without an origin continues the line: same draft, the seconds add up, capped by the time since the parent.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await save(slice, 'ann', rectangles([25, 20, 15, 20]), { basedOn: first.revisionId, activeSeconds: 1 });
    expect(second.origin).toEqual(first.origin);
    expect(second.edit).toEqual({ draftAreaPx: 400, pixelsAdded: 0, pixelsRemoved: 100, dice: 600 / 700 });
    expect(second.activeSeconds).toBe(13);
    const third = await save(slice, 'ann', rectangles([25, 20, 15, 20]), { basedOn: second.revisionId, activeSeconds: 600 });
    expect(third.activeSeconds).toBeGreaterThanOrEqual(13);
    expect(third.activeSeconds).toBeLessThan(15);

    // GET /api/slices/:id/mask/revisions shows the same fields.
    const history = await query.history(slice.sliceId, 'opacification');
    expect(history.find((r) => r.revisionId === first.revisionId)).toMatchObject({ origin: first.origin, edit: first.edit, activeSeconds: 12 });
    expect(history.find((r) => r.revisionId === suggestion.revision.id)).toMatchObject({ source: 'model', edit: null });
  });

  it('measures a suggestion accepted unchanged as Dice 1 with nothing added or removed', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const suggestion = await modelDraft(slice, 'model:jcs:v3', disc(64, 64, 12));
    const saved = await save(slice, 'ann', disc(64, 64, 12), { origin: { kind: 'suggestion', revisionId: suggestion.revision.id }, activeSeconds: 2.5 });
    expect(saved.edit).toEqual({ draftAreaPx: saved.area, pixelsAdded: 0, pixelsRemoved: 0, dice: 1 });
  });

  it('refuses origins it cannot confirm: another slice’s suggestion or draft, a human revision, another user’s draft, mixed models', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const other = await createSliceFixture(context.dataSource, context.storage);
    const foreign = await modelDraft(other, 'model:jcs:v3', disc(40, 40, 8));
    const human = await save(other, 'ann', disc(40, 40, 8));
    const attempt = (origin: MaskOriginClaim) => save(slice, 'ann', disc(64, 64, 5), { origin }).catch((error: unknown) => error);
    expect(await attempt({ kind: 'suggestion', revisionId: foreign.revision.id })).toBeInstanceOf(InvalidOriginError);
    expect(await attempt({ kind: 'suggestion', revisionId: human.revisionId })).toBeInstanceOf(InvalidOriginError);
    expect(await attempt({ kind: 'suggestion', revisionId: randomUUID() })).toBeInstanceOf(InvalidOriginError);

    const otherSlices = await assistDraft(other, 'ann', disc(40, 40, 8));
    const forged = await attempt({ kind: 'assist', draftIds: [otherSlices] });
    expect(forged).toBeInstanceOf(InvalidOriginError);
    expect((forged as Error).message).toBe(`origin.draftIds: ${otherSlices} is not an assist draft handed to ann on slice ${slice.sliceId}`);
    const bobs = await assistDraft(slice, 'bob', disc(64, 64, 5));
    expect(((await attempt({ kind: 'assist', draftIds: [bobs] })) as Error).message).toMatch(/is not an assist draft handed to ann/);
    expect(await attempt({ kind: 'interpolation', draftId: await assistDraft(slice, 'ann', disc(64, 64, 5)) })).toBeInstanceOf(InvalidOriginError);
    const mixed = [await assistDraft(slice, 'ann', disc(64, 64, 5)), await assistDraft(slice, 'ann', disc(30, 30, 5), { name: 'LiteMedSAM', version: 'fine-tuned' })];
    expect(((await attempt({ kind: 'assist', draftIds: mixed })) as Error).message).toMatch(/one model/);
    expect(await attempt({ kind: 'line', revisionId: human.revisionId })).toBeInstanceOf(InvalidOriginError);
    expect(await query.history(slice.sliceId, 'opacification')).toHaveLength(0);
  });

  it('measures an accepted assist draft against the stored answers joined to the mask it was accepted on, with the model and the prompts', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const before = await save(slice, 'ann', rectangles([0, 0, 10, 10]));
    // Two boxes answered (each stored), accepted together onto the saved 100 px square.
    const answers = [await assistDraft(slice, 'ann', rectangles([20, 20, 20, 20])), await assistDraft(slice, 'ann', rectangles([60, 60, 10, 10]))];
    // The client's pixels are not the draft: the person removed a 10x20 strip of the first box's answer.
    const saved = await save(slice, 'ann', rectangles([0, 0, 10, 10], [30, 20, 10, 20], [60, 60, 10, 10]), { basedOn: before.revisionId, origin: { kind: 'assist', draftIds: answers }, activeSeconds: 3 });
    const prompt = { box: [1, 1, 60, 60], points: [{ x: 30, y: 30, positive: true }] };
    expect(saved.origin).toEqual({ kind: 'assist', model: LITEMEDSAM, prompts: [prompt, prompt], draftIds: answers });
    expect(saved.edit).toEqual({ draftAreaPx: 600, pixelsAdded: 0, pixelsRemoved: 200, dice: 800 / 1000 });
  });

  it('goes back to an earlier revision’s line when the editor undid past an accepted draft it had saved', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const manual = await save(slice, 'ann', rectangles([0, 0, 10, 10]), { activeSeconds: 5 });
    const accepted = await save(slice, 'ann', rectangles([0, 0, 10, 10], [20, 20, 20, 20]), { basedOn: manual.revisionId, origin: { kind: 'assist', draftIds: [await assistDraft(slice, 'ann', rectangles([20, 20, 20, 20]))] } });
    expect(accepted.origin!.kind).toBe('assist');
    // Without a claim the save would continue the assist line it builds on.
    const undone = await save(slice, 'ann', rectangles([0, 0, 10, 10]), { basedOn: accepted.revisionId, origin: { kind: 'line', revisionId: manual.revisionId } });
    expect(undone).toMatchObject({ origin: { kind: 'manual' }, edit: null });
    const suggestion = await modelDraft(slice, 'model:jcs:v3', rectangles([5, 5, 20, 20]));
    const back = await save(slice, 'ann', rectangles([5, 5, 20, 20]), { basedOn: undone.revisionId, origin: { kind: 'line', revisionId: suggestion.revision.id } });
    expect(back).toMatchObject({ origin: { kind: 'suggestion', model: 'model:jcs:v3' }, edit: { pixelsAdded: 0, pixelsRemoved: 0, dice: 1 } });
  });

  it('finds the nearest masked slices of the scan and records an interpolation drawn again by the server', async () => {
    const first = await createSliceFixture(context.dataSource, context.storage, { sliceIndex: 10 });
    const slices = [first];
    for (let index = 11; index <= 15; index++) slices.push(await createSliceFixture(context.dataSource, context.storage, { sameScanAs: first, sliceIndex: index }));
    const lowerMask = disc(50, 50, 6);
    const upperMask = disc(62, 58, 14);
    const lower = await save(slices[1], 'ann', lowerMask);
    const upper = await save(slices[5], 'ann', upperMask);
    // An empty mask does not count as masked.
    await save(slices[3], 'ann', rectangles());

    const sources = await context.app.get(InterpolationSourcesQuery).around(slices[2].sliceId, 'opacification', 'ann');
    expect(sources.lower).toMatchObject({ sliceId: slices[1].sliceId, sliceIndex: 11, revisionId: lower.revisionId });
    expect(sources.upper).toMatchObject({ sliceId: slices[5].sliceId, sliceIndex: 15, revisionId: upper.revisionId });
    expect(sources.between.map((s) => [s.sliceIndex, s.area])).toEqual([[12, 0], [13, 0], [14, 0]]);
    // Each empty slice between got a stored draft; asking again (the next slice's visit) gives the same ones.
    const draftIds = sources.between.map((s) => s.draftId!);
    expect(new Set(draftIds).size).toBe(3);
    const again = await context.app.get(InterpolationSourcesQuery).around(slices[4].sliceId, 'opacification', 'ann');
    expect(again.between.map((s) => s.draftId)).toEqual(draftIds);
    // Another annotator's private drafts are not theirs to interpolate from.
    expect(await context.app.get(InterpolationSourcesQuery).around(slices[2].sliceId, 'opacification', 'bob')).toEqual({ lower: null, upper: null, between: [] });

    const drawn = interpolateBetween(lowerMask, upperMask, 3);
    const accepted = await save(slices[2], 'ann', drawn[0], { origin: { kind: 'interpolation', draftId: draftIds[0] }, activeSeconds: 1 });
    expect(accepted.origin).toEqual({
      kind: 'interpolation',
      sources: [
        { revisionId: lower.revisionId, sliceId: slices[1].sliceId, sliceIndex: 11 },
        { revisionId: upper.revisionId, sliceId: slices[5].sliceId, sliceIndex: 15 },
      ],
      draftId: draftIds[0],
    });
    expect(accepted.edit).toMatchObject({ pixelsAdded: 0, pixelsRemoved: 0, dice: 1 });
    // Slice 14 saved with the pixels of slice 13's draft: the server measures them against slice 14's own draft.
    const misplaced = await save(slices[4], 'ann', drawn[1], { origin: { kind: 'interpolation', draftId: draftIds[2] } });
    expect(misplaced.edit!.dice).toBeLessThan(1);
    expect(misplaced.edit!.draftAreaPx).toBe(drawn[2].data.reduce((a, b) => a + b, 0));

    // Slice 13's draft claimed on slice 10, or by someone it was not handed to, is refused.
    const outside = await save(slices[0], 'ann', drawn[0], { origin: { kind: 'interpolation', draftId: draftIds[1] } }).catch((error: unknown) => error);
    expect(outside).toBeInstanceOf(InvalidOriginError);
    expect((outside as Error).message).toBe(`origin.draftId: ${draftIds[1]} is not an interpolation draft handed to ann on slice ${slices[0].sliceId}`);
    expect(await save(slices[3], 'bob', drawn[1], { origin: { kind: 'interpolation', draftId: draftIds[1] } }).catch((error: unknown) => error)).toBeInstanceOf(InvalidOriginError);
  });

  it('gives imported masks origin import, and a person’s edit of one continues from it as the draft', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const importId = await createImportFixture(context.dataSource);
    const recorder = context.app.get<ImportedMaskRecorder>(IMPORTED_MASK_RECORDER);
    await recorder.recordImportedMasks([{ sliceId: slice.sliceId, rle: encodeCocoRle(rectangles([10, 10, 10, 10])) }], importId);
    const imported = await query.current(slice.sliceId, 'opacification', 'ann');
    expect(imported).toMatchObject({ source: 'import', origin: { kind: 'import', importId }, edit: null });

    const edited = await save(slice, 'ann', rectangles([10, 10, 10, 10], [30, 30, 5, 5]), { basedOn: imported!.revisionId });
    expect(edited.origin).toEqual({ kind: 'import', importId });
    expect(edited.edit).toEqual({ draftAreaPx: 100, pixelsAdded: 25, pixelsRemoved: 0, dice: 200 / 225 });
  });

  it('starts a manual line without draft statistics', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const saved = await save(slice, 'ann', disc(64, 64, 9), { activeSeconds: 40 });
    expect(saved).toMatchObject({ origin: { kind: 'manual' }, edit: null, activeSeconds: 40 });
  });

  it('sums each annotator’s newest revision per slice into the annotation statistics', async () => {
    const model = `model:stats-${randomUUID()}:v1`;
    const [ann, bob] = [`ann-${randomUUID()}`, `bob-${randomUUID()}`];
    const slices = [];
    for (let i = 0; i < 4; i++) slices.push(await createSliceFixture(context.dataSource, context.storage));
    const offered = await Promise.all(slices.map((slice) => modelDraft(slice, model, rectangles([20, 20, 20, 20]))));
    // ann takes two suggestions: one unchanged (20 s), one edited to Dice 0.75 (then a later save of the same line, 30 s in all).
    await save(slices[0], ann, rectangles([20, 20, 20, 20]), { origin: { kind: 'suggestion', revisionId: offered[0].revision.id }, activeSeconds: 20 });
    const line = await save(slices[1], ann, rectangles([20, 20, 20, 20], [60, 60, 10, 10]), { origin: { kind: 'suggestion', revisionId: offered[1].revision.id }, activeSeconds: 29.5 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await save(slices[1], ann, rectangles([25, 20, 15, 20], [60, 60, 10, 10]), { basedOn: line.revisionId, activeSeconds: 0.5 });
    // ann also corrects an imported mask: hers to count, but neither a model's draft nor drawn by hand.
    const importedSlice = await createSliceFixture(context.dataSource, context.storage);
    await context.app.get<ImportedMaskRecorder>(IMPORTED_MASK_RECORDER).recordImportedMasks([{ sliceId: importedSlice.sliceId, rle: encodeCocoRle(rectangles([10, 10, 10, 10])) }], await createImportFixture(context.dataSource));
    const imported = (await query.current(importedSlice.sliceId, 'opacification', ann))!;
    const manualBefore = (await context.app.get(AnnotationStatsQuery).stats()).manual.slices;
    await save(importedSlice, ann, rectangles([10, 10, 12, 12]), { basedOn: imported.revisionId });
    // bob draws two slices by hand, after an assist model's drafts on both (three answers on slice 2) he dropped.
    const assistModel = { name: `stats-assist-${randomUUID()}`, version: '1' };
    for (const slice of [slices[2], slices[2], slices[2], slices[3]]) await assistDraft(slice, bob, disc(64, 64, 10), assistModel);
    await save(slices[2], bob, disc(64, 64, 10), { activeSeconds: 90 });
    await save(slices[3], bob, disc(64, 64, 10), { activeSeconds: 70 });
    // ann takes one of its drafts unchanged on a slice of her own: offered 3 slices, accepted 1.
    const assisted = await createSliceFixture(context.dataSource, context.storage);
    await save(assisted, ann, disc(30, 30, 6), { origin: { kind: 'assist', draftIds: [await assistDraft(assisted, ann, disc(30, 30, 6), assistModel)] }, activeSeconds: 4 });

    const stats = await context.app.get(AnnotationStatsQuery).stats();
    expect(stats.models.find((m) => m.model === model)).toEqual({
      kind: 'suggestion',
      model,
      offered: 4,
      accepted: 2,
      acceptedUnchanged: 1,
      meanDice: (1 + 0.75) / 2,
      meanPixelsAdded: 50,
      meanPixelsRemoved: 50,
      medianSecondsPerSlice: 25,
    });
    expect(stats.models.find((m) => m.model === `${assistModel.name} 1`)).toEqual({
      kind: 'assist',
      model: `${assistModel.name} 1`,
      offered: 3,
      accepted: 1,
      acceptedUnchanged: 1,
      meanDice: 1,
      meanPixelsAdded: 0,
      meanPixelsRemoved: 0,
      medianSecondsPerSlice: 4,
    });
    expect(stats.annotators.find((a) => a.author === ann)).toEqual({ author: ann, slices: 4, fromDrafts: 3, activeSeconds: 54, secondsPerSlice: 20 });
    expect(stats.annotators.find((a) => a.author === bob)).toEqual({ author: bob, slices: 2, fromDrafts: 0, activeSeconds: 160, secondsPerSlice: 80 });
    expect(stats.manual.slices).toBe(manualBefore + 2);
  });
});
