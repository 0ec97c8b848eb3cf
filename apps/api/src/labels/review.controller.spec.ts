import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { CocoRle, MaskRevision } from '@lesionlab/contracts';
import { decodeCocoRle, dice, encodeCocoRle } from '@lesionlab/mask';
import { OBJECT_STORAGE } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { createSliceFixture, ellipseMask, type SliceFixture, type SliceFixtureOptions } from '@lesionlab/labels/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

describe('review, quality warnings, agreement and labels through the API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.init();
    people.admin = await actAs(app, 'admin');
    for (const name of ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'rev', 'someone']) people[`${name}@lab.test`] = await actAs(app, name === 'rev' ? 'reviewer' : 'annotator', `${name}@lab.test`);
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const people: Record<string, { Authorization: string }> = {};
  /** The credentials of one of the test's people (all annotators but the reviewer). */
  const as = (who: string) => people[who];
  const http = () => request.agent(app.getHttpServer()).set(people.admin);
  const newSlice = (options?: SliceFixtureOptions) => createSliceFixture(dataSource, app.get(OBJECT_STORAGE), options);
  const rleOf = (slice: SliceFixture, paint: (data: Uint8Array) => void): CocoRle => {
    const data = new Uint8Array(slice.width * slice.height);
    paint(data);
    return encodeCocoRle({ width: slice.width, height: slice.height, data });
  };
  const ellipse = (slice: SliceFixture, cx: number, cy: number, rx: number, ry: number) =>
    rleOf(slice, (data) => data.set(ellipseMask(slice.width, slice.height, cx, cy, rx, ry)));
  const submit = async (slice: SliceFixture, rle: CocoRle, author: string, precondition: Record<string, string> = { 'If-None-Match': '*' }) =>
    (await http().put(`/api/slices/${slice.sliceId}/mask`).set(precondition).set(as(author)).send({ rle, state: 'submitted' }).expect(201)).body as MaskRevision;
  const supervisionOf = async (slice: SliceFixture) => (await dataSource.query('SELECT supervision, cohort FROM slices WHERE id = $1', [slice.sliceId]))[0];

  it('submit → queue → approve: the approval is a new revision, the accepted label, and leaves the queue', async () => {
    const slice = await newSlice();
    const submitted = await submit(slice, ellipse(slice, 40, 60, 8, 6), 'ann@lab.test');
    expect(await supervisionOf(slice)).toEqual({ supervision: 'pixel', cohort: 'covid' });
    const queue = (await http().get('/api/review/queue').expect(200)).body.items;
    expect(queue).toContainEqual({ revisionId: submitted.revisionId, kind: 'mask', subjectId: slice.sliceId, author: 'ann@lab.test', createdAt: submitted.createdAt, warnings: [] });

    const approved = await http().post(`/api/revisions/${submitted.revisionId}/approve`).set(as('rev@lab.test')).send({ comment: 'fine' }).expect(201);
    expect(approved.body).toMatchObject({ state: 'approved', parentId: submitted.revisionId, author: 'ann@lab.test', reviewedBy: 'rev@lab.test', reviewComment: 'fine', rle: submitted.rle, facts: { ...submitted.facts, revisionId: approved.body.revisionId } });
    const again = await http().post(`/api/revisions/${submitted.revisionId}/approve`).send({}).expect(409);
    expect(again.body.detail).toMatch(/already been reviewed/);
    await http().post(`/api/revisions/${approved.body.revisionId}/reject`).send({ comment: 'no' }).expect(409);

    expect((await http().get('/api/review/queue').expect(200)).body.items.map((i: { revisionId: string }) => i.revisionId)).not.toContain(submitted.revisionId);
    const current = await http().get(`/api/slices/${slice.sliceId}/mask`).set(as('someone@lab.test')).expect(200);
    expect(current.headers.etag).toBe(`"${approved.body.revisionId}"`);
    const [accepted] = await dataSource.query('SELECT revision_id, area_px FROM accepted_mask_facts WHERE slice_id = $1', [slice.sliceId]);
    expect(accepted).toEqual({ revision_id: approved.body.revisionId, area_px: submitted.area });
  });

  it('reject needs a comment, adds a rejected revision, and the slice loses its pending pixel supervision', async () => {
    const slice = await newSlice();
    const submitted = await submit(slice, ellipse(slice, 40, 60, 8, 6), 'ann@lab.test');
    const noComment = await http().post(`/api/revisions/${submitted.revisionId}/reject`).send({}).expect(400);
    expect(noComment.body.detail).toMatch(/^comment: /);
    const rejected = await http().post(`/api/revisions/${submitted.revisionId}/reject`).set(as('rev@lab.test')).send({ comment: 'misses the lower lesion' }).expect(201);
    expect(rejected.body).toMatchObject({ state: 'rejected', parentId: submitted.revisionId, reviewComment: 'misses the lower lesion', reviewedBy: 'rev@lab.test' });
    expect(await supervisionOf(slice)).toEqual({ supervision: 'patient', cohort: 'covid' });
    await http().post('/api/revisions/00000000-0000-4000-8000-000000000000/approve').send({}).expect(404);
  });

  it('cannot approve a draft (it must be submitted first)', async () => {
    const slice = await newSlice();
    const draft = await http().put(`/api/slices/${slice.sliceId}/mask`).set('If-None-Match', '*').set(as('ann@lab.test')).send({ rle: ellipse(slice, 40, 60, 8, 6) }).expect(201);
    const response = await http().post(`/api/revisions/${draft.body.revisionId}/approve`).send({}).expect(409);
    expect(response.body.detail).toBe('A draft revision cannot be approved');
  });

  it('warns on submit, and lists the warnings for reviewers: negative patient, outside the body, specks, empty mask', async () => {
    const negative = await newSlice({ cohort: 'negative' });
    // A lesion in the right lung, a 3-pixel speck, and a blob in the air outside the body (top-left corner).
    const rle = rleOf(negative, (data) => {
      data.set(ellipseMask(negative.width, negative.height, 40, 60, 8, 6));
      data[20 * negative.width + 64] = data[20 * negative.width + 65] = data[21 * negative.width + 64] = 1;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) data[y * negative.width + x] = 1;
    });
    const submitted = await submit(negative, rle, 'ann@lab.test');
    expect(submitted.warnings?.map((w) => w.code)).toEqual(['negative-patient', 'outside-body', 'specks']);
    expect(submitted.facts).toMatchObject({ lesionCount: 2, speckCount: 1 });
    const queued = (await http().get('/api/review/queue').expect(200)).body.items.find((i: { revisionId: string }) => i.revisionId === submitted.revisionId);
    expect(queued.warnings).toEqual(submitted.warnings);

    const covid = await newSlice();
    const accepted = await submit(covid, ellipse(covid, 40, 60, 8, 6), 'ann@lab.test');
    const approved = await http().post(`/api/revisions/${accepted.revisionId}/approve`).send({}).expect(201);
    const empty = await submit(covid, rleOf(covid, () => undefined), 'bob@lab.test', { 'If-Match': `"${approved.body.revisionId}"` });
    expect(empty.warnings).toEqual([{ code: 'empty-mask', message: 'empty mask on a slice whose accepted label shows opacification' }]);
  });

  it('computes Dice between annotators per slice and a summary per pair', async () => {
    const [one, two] = [await newSlice(), await newSlice()];
    const masks = {
      one: { eve: ellipse(one, 40, 60, 8, 6), fay: ellipse(one, 42, 60, 8, 6) },
      two: { eve: ellipse(two, 90, 60, 6, 6), fay: ellipse(two, 90, 64, 6, 6) },
    };
    const eveOne = await submit(one, masks.one.eve, 'eve@lab.test');
    await submit(one, masks.one.fay, 'fay@lab.test', { 'If-Match': `"${eveOne.revisionId}"` });
    const eveTwo = await submit(two, masks.two.eve, 'eve@lab.test');
    await submit(two, masks.two.fay, 'fay@lab.test', { 'If-Match': `"${eveTwo.revisionId}"` });
    // Drafts never count: neither cy's own draft nor the one kept from cy's stale save.
    const cy = await http().put(`/api/slices/${two.sliceId}/mask`).set('If-None-Match', '*').set(as('cy@lab.test')).send({ rle: masks.two.eve }).expect(409);
    await http().put(`/api/slices/${two.sliceId}/mask`).set('If-Match', cy.body.current.revisionId).set(as('cy@lab.test')).send({ rle: masks.two.eve }).expect(201);

    const expected = (a: CocoRle, b: CocoRle) => dice(decodeCocoRle(a), decodeCocoRle(b));
    const diceOne = expected(masks.one.eve, masks.one.fay);
    const diceTwo = expected(masks.two.eve, masks.two.fay);
    for (const [slice, value] of [[one, diceOne], [two, diceTwo]] as const) {
      const body = (await http().get('/api/agreement').query({ sliceId: slice.sliceId }).expect(200)).body;
      expect(body.slices).toEqual([{ sliceId: slice.sliceId, class: 'opacification', pairs: [{ a: 'eve@lab.test', b: 'fay@lab.test', dice: expect.closeTo(value, 4) }] }]);
    }
    const all = (await http().get('/api/agreement').expect(200)).body;
    const pair = all.pairs.find((p: { a: string; b: string }) => p.a === 'eve@lab.test' && p.b === 'fay@lab.test');
    expect(pair).toEqual({ a: 'eve@lab.test', b: 'fay@lab.test', slices: 2, meanDice: expect.closeTo((diceOne + diceTwo) / 2, 4), minDice: expect.closeTo(Math.min(diceOne, diceTwo), 4) });
    expect(diceOne).toBeGreaterThan(0.5);
    expect(diceOne).toBeLessThan(1);
  });

  it('patient labels are revisions too: conditional saves, review, and an approved label updates patient and slices', async () => {
    const slice = await newSlice({ cohort: 'unknown' });
    const url = `/api/patients/${slice.patientId}/label`;
    await http().get(url).expect(404);
    await http().put(url).send({ value: 'negative' }).expect(428);
    await http().put(url).set('If-None-Match', '*').send({ value: 'maybe' }).expect(400);
    const submitted = await http().put(url).set('If-None-Match', '*').set(as('ann@lab.test')).send({ value: 'negative' }).expect(201);
    expect(submitted.headers.etag).toBe(`"${submitted.body.revisionId}"`);
    const stale = await http().put(url).set('If-None-Match', '*').set(as('bob@lab.test')).send({ value: 'covid' }).expect(409);
    expect(stale.body.current.revisionId).toBe(submitted.body.revisionId);
    expect(stale.body.kept).toMatchObject({ value: 'covid', state: 'draft', author: 'bob@lab.test' });

    const queue = (await http().get('/api/review/queue').expect(200)).body.items;
    expect(queue).toContainEqual(expect.objectContaining({ revisionId: submitted.body.revisionId, kind: 'patient-label', subjectId: slice.patientId }));
    await http().post(`/api/revisions/${submitted.body.revisionId}/approve`).set(as('rev@lab.test')).send({}).expect(201);
    expect(await supervisionOf(slice)).toEqual({ supervision: 'negative', cohort: 'negative' });
    const [patient] = await dataSource.query('SELECT label FROM patients WHERE id = $1', [slice.patientId]);
    expect(patient.label).toBe('negative');
    expect((await http().get(`${url}/revisions`).expect(200)).body.items).toHaveLength(3);
  });

  it('slice labels (opacification present/absent) follow the same rules', async () => {
    const slice = await newSlice();
    const url = `/api/slices/${slice.sliceId}/label`;
    const first = await http().put(url).set('If-None-Match', '*').send({ value: 'present', state: 'draft' }).expect(201);
    const second = await http().put(url).set('If-Match', `"${first.body.revisionId}"`).send({ value: 'absent' }).expect(201);
    expect(second.body).toMatchObject({ subject: 'slice', subjectId: slice.sliceId, value: 'absent', state: 'submitted', parentId: first.body.revisionId });
    await http().put(url).set('If-Match', `"${first.body.revisionId}"`).send({ value: 'present' }).expect(409);
    expect((await http().get(url).expect(200)).headers.etag).toBe(`"${second.body.revisionId}"`);
  });
});
