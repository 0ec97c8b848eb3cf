import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';
import { insertBlobRows, OBJECT_STORAGE, storeBlob, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

const SIZE = 8;
// A 1x1 PNG stands in for both the slice pixels and the Grad-CAM map.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

describe('model suggestions and the work queue', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let db: DataSource;
  let annotator: { Authorization: string };
  let blob: string;
  let batchId: string;

  async function covidSlice(name: string): Promise<string> {
    const [patient] = await db.query(`INSERT INTO patients (collection, external_id, label) VALUES ('wq', $1, 'covid') RETURNING id`, [name]);
    const [scan] = await db.query(`INSERT INTO scans (patient_id, series_key) VALUES ($1, 's') RETURNING id`, [patient.id]);
    const [slice] = await db.query(
      `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort) VALUES ($1, $2, 0, $3, $3, 8, $4, 'covid') RETURNING id`,
      [scan.id, patient.id, SIZE, blob],
    );
    return slice.id;
  }

  async function revision(sliceId: string, area: number, source: 'model' | 'human', author: string): Promise<string> {
    const mask = createEmptyMask(SIZE, SIZE);
    mask.data.fill(1, 0, area);
    const [row] = await db.query(
      `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, state) VALUES ($1, $2, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [sliceId, SIZE, encodeCocoRle(mask).counts, area, author, source, source === 'model' ? 'draft' : 'submitted'],
    );
    return row.id;
  }

  async function predict(sliceId: string, area: number, uncertainty: number): Promise<string> {
    const revisionId = await revision(sliceId, area, 'model', 'model:jcs-lite:v1');
    await db.query(`INSERT INTO slice_predictions (batch_id, slice_id, revision_id, covid_probability, uncertainty, gradcam_blob) VALUES ($1, $2, $3, 0.9, $4, $5)`, [batchId, sliceId, revisionId, uncertainty, blob]);
    return revisionId;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }));
    await app.init();
    db = app.get(DataSource);
    annotator = await actAs(app, 'annotator');
    const stored = await storeBlob(app.get<ObjectStorage>(OBJECT_STORAGE), PNG, 'image/png');
    await insertBlobRows(db.manager, [stored]);
    blob = stored.sha256;
    const [release] = await db.query(`INSERT INTO releases (name, version, params) VALUES ('wq', 1, '{}') RETURNING id`);
    const [run] = await db.query(`INSERT INTO runs (release_id, config, job_id) VALUES ($1, '{}', 'job') RETURNING id`, [release.id]);
    const [model] = await db.query(`INSERT INTO models (name, version, run_id, release_id, architecture, blob) VALUES ('jcs-lite', 1, $1, $2, 'jcs-lite', $3) RETURNING id`, [run.id, release.id, blob]);
    [{ id: batchId }] = await db.query(`INSERT INTO prediction_batches (model_id, selection) VALUES ($1, '{}') RETURNING id`, [model.id]);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('gives an annotator the model draft of a slice with its Grad-CAM PNG; 404 without one', async () => {
    const sliceId = await covidSlice('p-suggested');
    const revisionId = await predict(sliceId, 5, 0.4);
    const response = await request(app.getHttpServer()).get(`/api/slices/${sliceId}/suggestion`).set(annotator).expect(200);
    expect(response.body).toEqual({ revisionId, author: 'model:jcs-lite:v1', rle: { size: [SIZE, SIZE], counts: expect.any(String) }, area: 5, covidProbability: 0.9, uncertainty: 0.4, hasGradcam: true });
    const png = await request(app.getHttpServer()).get(`/api/slices/${sliceId}/suggestion/gradcam`).set(annotator).buffer(true).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(png.body as Buffer, PNG)).toBe(0);
    const plain = await covidSlice('p-plain');
    await request(app.getHttpServer()).get(`/api/slices/${plain}/suggestion`).set(annotator).expect(404);
    await request(app.getHttpServer()).get(`/api/slices/${plain}/suggestion/gradcam`).set(annotator).expect(404);
  });

  it('orders the work queue by uncertainty, skipping slices with a human mask; model drafts do not count as one', async () => {
    const unsure = await covidSlice('p-unsure');
    const sure = await covidSlice('p-sure');
    await predict(unsure, 3, 0.95);
    await predict(sure, 3, 0.01);
    const next = () => request(app.getHttpServer()).get('/api/work-queue/next').set(annotator).expect(200).then((r) => r.body);
    expect(await next()).toEqual({ sliceId: unsure, uncertainty: 0.95 });
    await revision(unsure, 4, 'human', 'annotator@lesionlab.test');
    // p-suggested (0.4) comes before p-sure (0.01); unpredicted slices come last.
    expect((await next()).uncertainty).toBe(0.4);
  });

  it('refuses the work queue to roles that do not label', async () => {
    await request(app.getHttpServer()).get('/api/work-queue/next').set(await actAs(app, 'ml-engineer')).expect(403);
  });
});
