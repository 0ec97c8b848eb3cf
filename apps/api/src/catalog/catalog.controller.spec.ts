import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import sharp from 'sharp';
import request from 'supertest';
import { PIXELS_MEDIA_TYPE, sliceDetailSchema, sliceFacetsSchema, slicePageSchema, type SliceSummary } from '@lesionlab/contracts';
import { ImportRunner } from '@lesionlab/catalog';
import { encodeCocoRle } from '@lesionlab/mask';
import { OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

describe('catalog API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let root: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'catalog-api-'));
    await fs.mkdir(path.join(root, 'set'));
    for (let i = 0; i < 5; i++) {
      const grey = Buffer.alloc(16 * 12, 40 * i);
      await fs.writeFile(path.join(root, 'set', `scan_${i}.png`), await sharp(grey, { raw: { width: 16, height: 12, channels: 1 } }).png().toBuffer());
    }
    app = await createApp(testConfig({ DATABASE_URL: database.url, IMPORT_ALLOWED_ROOTS: root }));
    await app.init();
    admin = await actAs(app, 'admin');
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  let admin: { Authorization: string };
  const http = () => request.agent(app.getHttpServer()).set(admin);

  it('starts an import from an allowed path, and the slices can then be listed, read and shown', async () => {
    const started = await http().post('/api/imports').send({ format: 'images', source: { kind: 'path', path: path.join(root, 'set') }, options: { patient: 'api-patient', label: 'covid' } }).expect(202);
    expect(started.body).toMatchObject({ status: 'queued', format: 'images', jobId: `import-${started.body.id}` });
    // The worker's job code, run here in-process.
    await app.get(ImportRunner).run(started.body.id);
    const done = await http().get(`/api/imports/${started.body.id}`).expect(200);
    expect(done.body).toMatchObject({ status: 'succeeded', found: 5, imported: 5, failed: 0 });
    expect((await http().get('/api/imports').expect(200)).body.items[0].id).toBe(started.body.id);

    const page = slicePageSchema.parse((await http().get('/api/slices?limit=2&supervision=patient&cohort=covid').expect(200)).body);
    expect(page.items).toHaveLength(2);
    const next = slicePageSchema.parse((await http().get(`/api/slices?limit=10&supervision=patient&cohort=covid&cursor=${page.nextCursor}`).expect(200)).body);
    expect(next.items).toHaveLength(3);
    expect(next.nextCursor).toBeNull();

    const detail = sliceDetailSchema.parse((await http().get(`/api/slices/${page.items[0].id}`).expect(200)).body);
    expect(detail).toMatchObject({ width: 16, height: 12, bitDepth: 8, cohort: 'covid', supervision: 'patient', patientExternalId: 'api-patient' });
    const pixels = await http().get(`/api/slices/${detail.id}/pixels`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(pixels.headers['content-type']).toContain(PIXELS_MEDIA_TYPE);
    const index = Number(detail.sourceName!.match(/(\d)\.png$/)![1]);
    expect(Buffer.compare(pixels.body as Buffer, Buffer.alloc(16 * 12, 40 * index))).toBe(0);
    await http().get(`/api/slices/${detail.id}/thumbnail`).expect(200).expect('Content-Type', 'image/png');

    const facets = await http().get('/api/slices/facets?cohort=covid').expect(200);
    expect(facets.body).toMatchObject({ total: 5, supervision: { patient: 5, pixel: 0 }, cohort: { covid: 5 } });
    const patients = await http().get('/api/patients').expect(200);
    expect(patients.body.items).toEqual([expect.objectContaining({ externalId: 'api-patient', label: 'covid', slices: { pixel: 0, patient: 5, negative: 0, none: 0 } })]);
  });

  it('filters, pages and counts by review state and lesion area, and shows both on each slice', async () => {
    await fs.mkdir(path.join(root, 'review'));
    for (let i = 0; i < 6; i++) {
      const grey = Buffer.alloc(16 * 12, 7 + 30 * i);
      await fs.writeFile(path.join(root, 'review', `rev_${i}.png`), await sharp(grey, { raw: { width: 16, height: 12, channels: 1 } }).png().toBuffer());
    }
    const started = await http().post('/api/imports').send({ format: 'images', source: { kind: 'path', path: path.join(root, 'review') }, options: { patient: 'review-patient', label: 'covid' } }).expect(202);
    await app.get(ImportRunner).run(started.body.id);
    const all = slicePageSchema.parse((await http().get(`/api/slices?import=${started.body.id}&limit=10`).expect(200)).body).items;
    expect(all).toHaveLength(6);
    expect(all.every((s) => s.reviewState === 'none' && s.lesionAreaPx === null)).toBe(true);

    const reviewer = await actAs(app, 'reviewer');
    /** A 16x12 mask whose first `area` pixels are lesion, saved in `state`; returns the revision id. */
    const save = async (slice: SliceSummary, area: number, state: 'draft' | 'submitted', precondition: Record<string, string> = { 'If-None-Match': '*' }) => {
      const data = new Uint8Array(16 * 12);
      data.fill(1, 0, area);
      const saved = await http().put(`/api/slices/${slice.id}/mask`).set(precondition).send({ rle: encodeCocoRle({ width: 16, height: 12, data }), state }).expect(201);
      return saved.body.revisionId as string;
    };
    const review = (revisionId: string, decision: 'approve' | 'reject') =>
      request(app.getHttpServer()).post(`/api/revisions/${revisionId}/${decision}`).set(reviewer).send({ comment: 'checked' }).expect(201);
    const [none, draft, submitted, small, large, rejected] = all;
    await save(draft, 5, 'draft');
    await save(submitted, 9, 'submitted');
    await review(await save(small, 20, 'submitted'), 'approve');
    await review(await save(large, 60, 'submitted'), 'approve');
    await review(await save(rejected, 30, 'submitted'), 'reject');
    const want: Record<string, [string, number | null]> = {
      [none.id]: ['none', null], [draft.id]: ['none', null], [submitted.id]: ['submitted', null], [small.id]: ['approved', 20], [large.id]: ['approved', 60], [rejected.id]: ['rejected', null],
    };

    /** Every slice of this import under the filters, one slice per page: no duplicates, no gaps. */
    const pageThrough = async (filters: string) => {
      const items: SliceSummary[] = [];
      let cursor: string | null = null;
      do {
        const page = slicePageSchema.parse((await http().get(`/api/slices?import=${started.body.id}&limit=1&${filters}${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      return items;
    };
    const shown = await pageThrough('');
    expect(Object.fromEntries(shown.map((s) => [s.id, [s.reviewState, s.lesionAreaPx]]))).toEqual(want);
    const ids = (items: SliceSummary[]) => items.map((i) => i.id).sort();
    expect(ids(await pageThrough('reviewState=none'))).toEqual([none.id, draft.id].sort());
    expect(ids(await pageThrough('reviewState=submitted'))).toEqual([submitted.id]);
    expect(ids(await pageThrough('reviewState=approved'))).toEqual([small.id, large.id].sort());
    expect(ids(await pageThrough('reviewState=rejected'))).toEqual([rejected.id]);
    expect(ids(await pageThrough('minLesionAreaPx=21'))).toEqual([large.id]);
    expect(ids(await pageThrough('maxLesionAreaPx=20'))).toEqual([small.id]);
    expect(ids(await pageThrough('minLesionAreaPx=20&maxLesionAreaPx=60&sort=patient'))).toEqual([small.id, large.id].sort());

    const facets = sliceFacetsSchema.parse((await http().get(`/api/slices/facets?import=${started.body.id}`).expect(200)).body);
    expect(facets).toMatchObject({ total: 6, reviewState: { none: 2, submitted: 1, approved: 2, rejected: 1 } });
    const approvedFacets = sliceFacetsSchema.parse((await http().get(`/api/slices/facets?import=${started.body.id}&reviewState=approved&minLesionAreaPx=30`).expect(200)).body);
    expect(approvedFacets).toMatchObject({ total: 1, supervision: { pixel: 1 }, reviewState: { none: 0, approved: 1 } });
  });

  it('answers bad input with a problem naming it', async () => {
    const outside = await http().post('/api/imports').send({ format: 'images', source: { kind: 'path', path: os.tmpdir() } }).expect(400);
    expect(outside.headers['content-type']).toMatch(/problem\+json/);
    expect(outside.body.detail).toMatch(/IMPORT_ALLOWED_ROOTS/);
    expect((await http().post('/api/imports').send({ format: 'images', source: { kind: 'path', path: `${root}/set/../..` } }).expect(400)).body.detail).toMatch(/"\.\."/);
    expect((await http().post('/api/imports').send({ format: 'tiff', source: { kind: 'path', path: root } }).expect(400)).body.detail).toMatch(/^format:/);
    expect((await http().get('/api/slices?supervision=pixels').expect(400)).body.detail).toMatch(/^supervision:/);
    expect((await http().get('/api/slices?cursor=garbage').expect(400)).body.detail).toMatch(/cursor/);
    expect((await http().get('/api/slices?reviewState=accepted').expect(400)).body.detail).toMatch(/^reviewState:/);
    expect((await http().get('/api/slices/facets?reviewState=draft').expect(400)).body.detail).toMatch(/^reviewState:/);
    expect((await http().get('/api/slices?minLesionAreaPx=-1').expect(400)).body.detail).toMatch(/^minLesionAreaPx:/);
    expect((await http().get('/api/slices?maxLesionAreaPx=1.5').expect(400)).body.detail).toMatch(/^maxLesionAreaPx:/);
    expect((await http().get('/api/slices/facets?minLesionAreaPx=lots').expect(400)).body.detail).toMatch(/^minLesionAreaPx:/);
    await http().get('/api/slices/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('takes an upload as multipart and imports it from the object store; a file that does not decode is a failure of the import, not stored, and the rest imports', async () => {
    const png = await sharp(Buffer.alloc(8 * 8, 77), { raw: { width: 8, height: 8, channels: 1 } }).png().toBuffer();
    const upload = () => http().post('/api/imports').field('format', 'images').field('options', JSON.stringify({ patient: 'uploaded' }));
    const refused = await upload().attach('files', png.subarray(0, 20), 'up_2.png').expect(400);
    expect(refused.body.detail).toMatch(/^files: "up_2.png" is not an image that decodes/);
    // form-data keeps the folders of a `filepath` (a `filename` is cut to its base name); supertest's types name only the latter
    const inFolder = Object.assign({ contentType: 'image/png' }, { filepath: 'bad/up_2.png' });
    const started = await upload().attach('files', png, 'up_1.png').attach('files', png.subarray(0, 20), inFolder).expect(202);
    expect(started.body.source).toMatch(/^fs:uploads\//);
    await app.get(ImportRunner).run(started.body.id);
    const done = await http().get(`/api/imports/${started.body.id}`).expect(200);
    expect(done.body).toMatchObject({ status: 'succeeded', found: 1, imported: 1, failed: 1 });
    expect(done.body.failures).toEqual([{ file: 'bad/up_2.png', reason: expect.stringMatching(/^"bad\/up_2.png" is not an image that decodes/) }]);
    const stored: string[] = [];
    for await (const object of app.get<ObjectStorage>(OBJECT_STORAGE).list(`${started.body.source.replace(/^fs:/, '')}/`)) stored.push(object.key);
    expect(stored.map((key) => key.split('/').pop())).toEqual(['up_1.png']);
  });
  it('pages the imports newest first: each nextCursor continues where the page ended, a foreign cursor is a 400', async () => {
    for (let i = 0; i < 3; i++) await http().post('/api/imports').send({ format: 'images', source: { kind: 'path', path: path.join(root, 'set') } }).expect(202);
    const all = (await http().get('/api/imports?limit=500').expect(200)).body;
    expect(all.nextCursor).toBeNull();
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const page = (await http().get(`/api/imports?${query}`).expect(200)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.items.map((item: { id: string }) => item.id));
    expect((await http().get('/api/imports?cursor=garbage').expect(400)).body.detail).toMatch(/cursor/);
  });
});
