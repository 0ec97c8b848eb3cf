import { IMPORTED_MASK_RECORDER, type ImportedMaskRecorder } from '@lesionlab/catalog';
import { encodeCocoRle, MaskFormatError } from '@lesionlab/mask';
import { createLabelsTestContext, type LabelsTestContext } from '../../test/labels-test-app';
import { createImportFixture, createSliceFixture, ellipseMask } from '../../test/slice-fixtures';
import { MaskRevisionsQuery } from './mask-revisions.query';

describe('IMPORTED_MASK_RECORDER (the catalog port, provided by LabelsModule)', () => {
  let context: LabelsTestContext;
  let recorder: ImportedMaskRecorder;
  let query: MaskRevisionsQuery;

  beforeAll(async () => {
    context = await createLabelsTestContext();
    recorder = context.app.get(IMPORTED_MASK_RECORDER);
    query = context.app.get(MaskRevisionsQuery);
  });
  afterAll(() => context.close());

  const lesionOnImageLeft = (width: number, height: number) =>
    encodeCocoRle({ width, height, data: ellipseMask(width, height, 0.3 * width, 0.45 * height, 8, 6) });

  it('stores each mask as an approved import revision with derived facts, and makes the slice pixel-supervised', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const importId = await createImportFixture(context.dataSource);
    const rle = lesionOnImageLeft(slice.width, slice.height);

    expect(await recorder.recordImportedMasks([{ sliceId: slice.sliceId, rle }], importId)).toBe(1);

    const current = await query.current(slice.sliceId, 'opacification', 'someone');
    expect(current).toMatchObject({ source: 'import', state: 'approved', author: `import:${importId}`, parentId: null, rle });
    expect(current?.facts).toMatchObject({ lesionCount: 1, speckCount: 0, lungFieldKnown: true });
    expect(current?.facts?.areaPx).toBe(current?.area);
    expect(current?.facts?.areaMm2).toBeCloseTo(current!.area * 0.49, 1);
    expect(current?.facts?.lesions[0].location).toEqual({ side: 'right', third: 'middle' });
    const [row] = await context.dataSource.query('SELECT s.supervision, r.import_id FROM slices s, mask_revisions r WHERE s.id = $1 AND r.slice_id = s.id', [slice.sliceId]);
    expect(row).toEqual({ supervision: 'pixel', import_id: importId });
  });

  it('adds nothing when the same masks are imported again', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage);
    const importId = await createImportFixture(context.dataSource);
    const masks = [{ sliceId: slice.sliceId, rle: lesionOnImageLeft(slice.width, slice.height) }];
    expect(await recorder.recordImportedMasks(masks, importId)).toBe(1);
    const [again, concurrently] = await Promise.all([recorder.recordImportedMasks(masks, importId), recorder.recordImportedMasks(masks, importId)]);
    expect(again + concurrently).toBe(0);
    expect(await query.history(slice.sliceId, 'opacification')).toHaveLength(1);
  });

  it('refuses a mask whose size is not the slice size, naming the slice, and stores none of the batch', async () => {
    const good = await createSliceFixture(context.dataSource, context.storage);
    const bad = await createSliceFixture(context.dataSource, context.storage);
    const importId = await createImportFixture(context.dataSource);
    const error = await recorder
      .recordImportedMasks(
        [
          { sliceId: good.sliceId, rle: lesionOnImageLeft(good.width, good.height) },
          { sliceId: bad.sliceId, rle: lesionOnImageLeft(64, 64) },
        ],
        importId,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaskFormatError);
    expect((error as Error).message).toBe(`imported mask of slice ${bad.sliceId}: RLE size is [64, 64], expected [128, 128]`);
    expect(await query.history(good.sliceId, 'opacification')).toHaveLength(0);
  });

  it('still stores the mask when the slice image is missing, with its location unknown', async () => {
    const slice = await createSliceFixture(context.dataSource, context.storage, { image: 'missing', pixelSpacingMm: null });
    const importId = await createImportFixture(context.dataSource);
    expect(await recorder.recordImportedMasks([{ sliceId: slice.sliceId, rle: lesionOnImageLeft(slice.width, slice.height) }], importId)).toBe(1);
    const facts = (await query.current(slice.sliceId, 'opacification', 'someone'))?.facts;
    expect(facts).toMatchObject({ lesionCount: 1, lungFieldKnown: false, areaMm2: null });
    expect(facts?.lesions[0].location).toEqual({ side: null, third: null });
  });
});
