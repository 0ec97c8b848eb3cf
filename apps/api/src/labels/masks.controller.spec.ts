import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { CocoRle, MaskRevision } from '@lesionlab/contracts';
import { encodeCocoRle } from '@lesionlab/mask';
import { OBJECT_STORAGE } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { createSliceFixture, ellipseMask, type SliceFixture } from '@lesionlab/labels/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

describe('masks API: append-only revisions with conditional saves', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '20' }));
    await app.init();
    people.admin = await actAs(app, 'admin');
    for (const name of ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'rev', 'seed', 'someone']) people[`${name}@lab.test`] = await actAs(app, name === 'rev' ? 'reviewer' : 'annotator', `${name}@lab.test`);
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
  const newSlice = () => createSliceFixture(dataSource, app.get(OBJECT_STORAGE));
  /** A lesion whose shape encodes `seed`, so every save in a test carries a different mask. */
  const lesion = (slice: SliceFixture, seed: number): CocoRle =>
    encodeCocoRle({ width: slice.width, height: slice.height, data: ellipseMask(slice.width, slice.height, 40, 60, 4 + (seed % 20), 5 + Math.floor(seed / 20)) });
  const put = (slice: SliceFixture, rle: CocoRle, precondition: Record<string, string>, author = 'ann@lab.test', state = 'draft') =>
    http().put(`/api/slices/${slice.sliceId}/mask`).set(precondition).set(as(author)).send({ rle, state });
  const first = async (slice: SliceFixture, author = 'ann@lab.test', state = 'submitted') => {
    const response = await put(slice, lesion(slice, 0), { 'If-None-Match': '*' }, author, state).expect(201);
    return response.body as MaskRevision;
  };
  const revisionCount = async (slice: SliceFixture) =>
    (await dataSource.query('SELECT count(*)::int AS n FROM mask_revisions WHERE slice_id = $1', [slice.sliceId]))[0].n as number;

  it('answers 404 before the first save, then 201 with an ETag, and GET returns that revision with the same ETag', async () => {
    const slice = await newSlice();
    const missing = await http().get(`/api/slices/${slice.sliceId}/mask`).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);

    const rle = lesion(slice, 3);
    const saved = await put(slice, rle, { 'If-None-Match': '*' }).expect(201);
    expect(saved.headers.etag).toBe(`"${saved.body.revisionId}"`);
    expect(saved.body).toMatchObject({ sliceId: slice.sliceId, rle, author: 'ann@lab.test', source: 'human', state: 'draft', parentId: null });
    expect(saved.body.facts).toMatchObject({ lesionCount: 1, areaPx: saved.body.area, lungFieldKnown: true });

    const current = await http().get(`/api/slices/${slice.sliceId}/mask`).set(as('ann@lab.test')).expect(200);
    expect(current.headers.etag).toBe(saved.headers.etag);
    expect(current.body).toEqual(saved.body);
    const facts = await http().get(`/api/revisions/${saved.body.revisionId}/facts`).expect(200);
    expect(facts.body).toEqual(saved.body.facts);
  });

  it('keeps drafts private: another user does not see them as current, and does not conflict with them', async () => {
    const slice = await newSlice();
    await put(slice, lesion(slice, 1), { 'If-None-Match': '*' }, 'ann@lab.test').expect(201);
    await http().get(`/api/slices/${slice.sliceId}/mask`).set(as('bob@lab.test')).expect(404);
    await put(slice, lesion(slice, 2), { 'If-None-Match': '*' }, 'bob@lab.test').expect(201);
  });

  it('requires a precondition (428) and refuses malformed or wrong-sized masks with a 400 naming the problem', async () => {
    const slice = await newSlice();
    const noPrecondition = await http().put(`/api/slices/${slice.sliceId}/mask`).send({ rle: lesion(slice, 1) }).expect(428);
    expect(noPrecondition.body.detail).toMatch(/If-Match/);

    const wrongSize = encodeCocoRle({ width: 64, height: 64, data: new Uint8Array(64 * 64) });
    const sized = await put(slice, wrongSize, { 'If-None-Match': '*' }).expect(400);
    expect(sized.body.detail).toBe('rle: RLE size is [64, 64], expected [128, 128]');

    const short = await put(slice, { size: [128, 128], counts: '42' }, { 'If-None-Match': '*' }).expect(400);
    expect(short.body.detail).toBe('rle: RLE counts sum to 6, expected 16384 for size [128, 128]');
    const badChar = await put(slice, { size: [128, 128], counts: 'ab\u0001' }, { 'If-None-Match': '*' }).expect(400);
    expect(badChar.body.detail).toMatch(/^rle: RLE string has an invalid character/);
    const noCounts = await http().put(`/api/slices/${slice.sliceId}/mask`).set('If-None-Match', '*').send({ rle: { size: [128, 128] } }).expect(400);
    expect(noCounts.body.detail).toMatch(/^rle\.counts: /);

    await http().put('/api/slices/00000000-0000-4000-8000-000000000000/mask').set('If-None-Match', '*').send({ rle: lesion(slice, 1) }).expect(404);
    expect(await revisionCount(slice)).toBe(0);
  });

  it('refuses a mask class that is too long or outside the safe alphabet with a 400 naming the field', async () => {
    const slice = await newSlice();
    for (const bad of ['x'.repeat(65), '', '../etc', 'class with spaces', '<script>']) {
      const saved = await http().put(`/api/slices/${slice.sliceId}/mask`).set('If-None-Match', '*').send({ rle: lesion(slice, 1), class: bad }).expect(400);
      expect(saved.body.detail).toMatch(/^class: 1-64 characters/);
    }
    const read = await http().get(`/api/slices/${slice.sliceId}/mask?class=${'y'.repeat(65)}`).expect(400);
    expect(read.body.detail).toMatch(/^class: 1-64 characters/);
    expect(await revisionCount(slice)).toBe(0);
    await http().put(`/api/slices/${slice.sliceId}/mask`).set('If-None-Match', '*').send({ rle: lesion(slice, 1), class: 'ground-glass_2' }).expect(201);
  });

  it('two clients saving against the same base: one 201, one 409 with the current revision; both masks are kept', async () => {
    for (const [authorA, authorB, state] of [
      ['ann@lab.test', 'ann@lab.test', 'draft'], // the same annotator in two tabs, autosaving
      ['ann@lab.test', 'bob@lab.test', 'submitted'], // two annotators submitting
    ]) {
      const slice = await newSlice();
      const base = await first(slice, 'seed@lab.test');
      const [a, b] = [lesion(slice, 11), lesion(slice, 12)];
      const responses = await Promise.all([
        put(slice, a, { 'If-Match': `"${base.revisionId}"` }, authorA, state),
        put(slice, b, { 'If-Match': `"${base.revisionId}"` }, authorB, state),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const won = responses.find((r) => r.status === 201)!;
      const lost = responses.find((r) => r.status === 409)!;
      expect(lost.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(lost.body.current).toEqual(won.body);
      expect(lost.body.kept).toMatchObject({ state: 'draft', parentId: base.revisionId, conflictWith: won.body.revisionId });

      const history = (await http().get(`/api/slices/${slice.sliceId}/mask/revisions`).expect(200)).body.items as MaskRevision[];
      expect(history.map((r) => r.revisionId).sort()).toEqual([base.revisionId, won.body.revisionId, lost.body.kept.revisionId].sort());
      for (const saved of [won.body, lost.body.kept] as MaskRevision[]) {
        const fetched = await http().get(`/api/slices/${slice.sliceId}/mask`).query({ revision: saved.revisionId }).expect(200);
        expect(fetched.body.rle).toEqual(saved.rle);
      }
      expect([won.body.rle, lost.body.kept.rle].sort((x, y) => x.counts.localeCompare(y.counts))).toEqual([a, b].sort((x, y) => x.counts.localeCompare(y.counts)));
      // The kept draft does not become its author's current revision: the winner's does.
      const seenByLoser = await http().get(`/api/slices/${slice.sliceId}/mask`).set(as(lost === responses[0] ? authorA : authorB)).expect(200);
      expect(seenByLoser.headers.etag).toBe(`"${won.body.revisionId}"`);
    }
  });

  it('answers 409 to If-None-Match: * once a revision exists, and to an If-Match naming no revision', async () => {
    const slice = await newSlice();
    const base = await first(slice);
    const again = await put(slice, lesion(slice, 5), { 'If-None-Match': '*' }, 'bob@lab.test').expect(409);
    expect(again.body.current.revisionId).toBe(base.revisionId);
    const bogus = await put(slice, lesion(slice, 6), { 'If-Match': '"not-a-revision"' }, 'bob@lab.test').expect(409);
    expect(bogus.body.kept).toMatchObject({ parentId: null, conflictWith: base.revisionId });
  });

  it('a storm of concurrent saves ends with exactly as many revisions as 201s plus kept drafts, none lost or duplicated', async () => {
    const slice = await newSlice();
    const base = await first(slice, 'seed@lab.test');
    const authors = ['ann@lab.test', 'bob@lab.test', 'cy@lab.test', 'dee@lab.test'];
    const sent = Array.from({ length: 40 }, (_, i) => ({
      author: authors[i % authors.length],
      state: i % 3 === 0 ? 'submitted' : 'draft',
      rle: lesion(slice, 20 + i),
    }));
    const before = await revisionCount(slice);
    const responses = await Promise.all(sent.map((s) => put(slice, s.rle, { 'If-Match': `"${base.revisionId}"` }, s.author, s.state)));

    const created = responses.filter((r) => r.status === 201);
    const conflicts = responses.filter((r) => r.status === 409);
    expect(created.length + conflicts.length).toBe(sent.length);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(await revisionCount(slice)).toBe(before + created.length + conflicts.length);

    const stored = responses.map((r) => (r.status === 201 ? r.body : r.body.kept) as MaskRevision);
    expect(new Set(stored.map((r) => r.revisionId)).size).toBe(sent.length);
    stored.forEach((revision, i) => expect(revision.rle).toEqual(sent[i].rle));
    const history = (await http().get(`/api/slices/${slice.sliceId}/mask/revisions`).expect(200)).body.items as MaskRevision[];
    const byId = new Map(history.map((r) => [r.revisionId, r]));
    for (const revision of stored) expect(byId.get(revision.revisionId)?.rle).toEqual(revision.rle);

    // Serialised checks: every accepted save was based on the base; each author won at most once,
    // and once a submission won, no later save could.
    for (const r of created) expect(r.body.parentId).toBe(base.revisionId);
    const winners = created.map((r) => r.body.author as string);
    expect(new Set(winners).size).toBe(winners.length);
    const submittedWins = created.filter((r) => r.body.state === 'submitted');
    expect(submittedWins.length).toBeLessThanOrEqual(1);
    if (submittedWins.length === 1) {
      const lastWin = created.reduce((latest, r) => (r.body.createdAt > latest.body.createdAt ? r : latest));
      expect(lastWin).toBe(submittedWins[0]);
    }
    for (const r of conflicts) expect(r.body.kept.state).toBe('draft');
  });

  it('audits each save once: a 201 in the transaction of the save (with the new revision), a 409 and a 404 by the interceptor', async () => {
    const slice = await newSlice();
    const saved = await put(slice, lesion(slice, 7), { 'If-None-Match': '*' }).set('User-Agent', 'mask-audit-test').set('X-Request-Id', 'mask-audit-1').expect(201);
    await put(slice, lesion(slice, 8), { 'If-None-Match': '*' }, 'bob@lab.test').expect(201);
    const stale = await put(slice, lesion(slice, 9), { 'If-Match': '"not-a-revision"' }, 'bob@lab.test').expect(409);
    const entries = (await http().get('/api/audit').query({ id: slice.sliceId, action: 'PUT /api/slices/:id/mask' }).expect(200)).body.items;
    expect(entries).toHaveLength(3);
    const [conflict, , first] = entries;
    expect(first).toMatchObject({
      actor: 'ann@lab.test',
      actorRole: 'annotator',
      status: 201,
      ids: { id: slice.sliceId, revisionId: saved.body.revisionId },
      userAgent: 'mask-audit-test',
      requestId: 'mask-audit-1',
      ip: expect.any(String),
    });
    expect(conflict).toMatchObject({ actor: 'bob@lab.test', status: 409, ids: { id: slice.sliceId } });
    expect(stale.body.kept.revisionId).toBeDefined();
    const missing = '00000000-0000-4000-8000-00000000a0d1';
    await put({ ...slice, sliceId: missing }, lesion(slice, 1), { 'If-None-Match': '*' }).expect(404);
    expect((await http().get('/api/audit').query({ id: missing }).expect(200)).body.items).toMatchObject([{ status: 404, ids: { id: missing } }]);
  });

  it('has revisions the database refuses to change or delete', async () => {
    const slice = await newSlice();
    const base = await first(slice);
    await expect(dataSource.query("UPDATE mask_revisions SET state = 'approved' WHERE id = $1", [base.revisionId])).rejects.toThrow(/immutable/);
    await expect(dataSource.query('DELETE FROM mask_revisions WHERE id = $1', [base.revisionId])).rejects.toThrow(/immutable/);
    await expect(dataSource.query('UPDATE mask_revision_facts SET area_px = 0 WHERE revision_id = $1', [base.revisionId])).rejects.toThrow(/immutable/);
  });
});
