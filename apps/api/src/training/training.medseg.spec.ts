import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { ImportRunner, ImportsRepository } from '@lesionlab/catalog';
import type { WorkerHost } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { ReleaseBuilder, ReleasesService } from '@lesionlab/releases';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';
import { jobFinished, ROOT, runFinished, startTrainingWorker, TRAINER_PYTHON } from './training-loop.fixture';

/** The real data beside the project; the product never needs it, so without it this file skips. */
const SHARED_DATA = path.resolve(ROOT, '../shared/data');
const MEDSEG = path.join(SHARED_DATA, 'medseg-ct100/manifest.csv');

describe('the whole training loop on a release of medseg-ct100 (jcs-lite, CPU)', () => {
  let present = false;
  let database: TestDatabase;
  let app: INestApplication;
  let auth: { Authorization: string };
  let worker: WorkerHost | null = null;
  const http = () => request.agent(app.getHttpServer()).set(auth);

  beforeAll(async () => {
    present = await fs.access(MEDSEG).then(() => true, () => false);
    if (!present) {
      console.warn(`skipping the medseg-ct100 training loop: ${MEDSEG} is absent`);
      return;
    }
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', TRAINER_PYTHON, IMPORT_ALLOWED_ROOTS: SHARED_DATA }));
    await app.init();
    auth = await actAs(app, 'admin');
  });
  afterAll(async () => {
    if (!present) return;
    await worker?.stop(2000);
    await app.close();
    await database.drop();
  });

  it('imports the 50 masked slices, cuts a release, trains, registers, evaluates on test and predicts drafts annotators see', async () => {
    if (!present) return;
    // import: the catalog's own runner, as the import job runs it
    const imports = app.get(ImportsRepository);
    const row = await imports.create('manifest', MEDSEG, { source: { kind: 'path', path: MEDSEG }, maskThreshold: 1, label: 'covid' });
    await app.get(ImportRunner).run(row.id);
    expect(await imports.get(row.id)).toMatchObject({ status: 'succeeded' });

    // release: every slice is an unknown patient of its own, so the split is by slice
    const releases = app.get(ReleasesService);
    const release = await releases.create({
      name: 'medseg',
      description: '',
      selection: { importIds: [row.id] },
      ratios: { train: 60, val: 20, test: 20 },
      seed: 'medseg',
      stratifyBy: ['patient-label'],
      labelPolicy: 'accepted',
      pinned: {},
      keepNearDuplicatesTogether: false,
    });
    await app.get(ReleaseBuilder).build(release.id);

    worker = await startTrainingWorker(app);
    const created = await http()
      .post('/api/runs')
      .send({ releaseId: release.id, model: 'jcs-lite', batchSize: 4, imageSize: 64, steps: 6, settings: { log_every: 2, checkpoint_every: 3 } })
      .expect(202);
    const run = await runFinished(http, created.body.id);
    expect(run).toMatchObject({ status: 'succeeded', device: 'cpu', progress: { step: 6, totalSteps: 6 }, modelId: expect.any(String) });
    const trainLoss = run.metrics.filter((m: { name: string; split: string }) => m.name === 'loss' && m.split === 'train');
    expect(trainLoss.map((m: { step: number }) => m.step)).toEqual([2, 4, 6]);
    expect(trainLoss.every((m: { value: number }) => Number.isFinite(m.value))).toBe(true);
    expect(run.metrics.some((m: { split: string; name: string }) => m.split === 'val' && m.name === 'dice')).toBe(true);

    const model = (await http().get(`/api/models/${run.modelId}`).expect(200)).body;
    expect(model).toMatchObject({ name: 'jcs-lite', runId: run.id, releaseId: release.id, stage: 'candidate', evaluations: [expect.objectContaining({ split: 'test' })] });

    const evaluation = await jobFinished(http, `/api/evaluations/${model.evaluations[0].id}`);
    expect(evaluation).toMatchObject({ status: 'succeeded', split: 'test' });
    // 20% of 50 one-slice patients, all pixel-supervised: a dice each, and overlays of the worst ones
    expect(evaluation.slices.length).toBeGreaterThanOrEqual(5);
    expect(evaluation.slices.length).toBeLessThanOrEqual(15);
    for (const slice of evaluation.slices) expect(slice).toMatchObject({ supervision: 'pixel', dice: expect.any(Number) });
    expect(evaluation.report.segmentation_lesion_slices.dice_mean_ci95).toHaveLength(2);
    expect(evaluation.overlays.length).toBe(Math.min(8, evaluation.slices.length));
    const overlay = await http().get(`/api/evaluations/${evaluation.id}/overlays/0`).buffer(true).expect(200);
    expect(overlay.headers['content-type']).toBe('image/png');
    expect((overlay.body as Buffer).subarray(1, 4).toString()).toBe('PNG');

    const batch = await http().post(`/api/models/${model.id}/predict`).send({ selection: { importIds: [row.id] } }).expect(202);
    const predicted = await jobFinished(http, `/api/predictions/${batch.body.id}`);
    expect(predicted).toMatchObject({ status: 'succeeded', slices: 50, drafts: 50 });
    const annotator = await actAs(app, 'annotator');
    for (const output of predicted.outputs.slice(0, 5)) {
      const history = await request(app.getHttpServer()).get(`/api/slices/${output.sliceId}/mask/revisions`).set(annotator).expect(200);
      expect(history.body.items).toContainEqual(expect.objectContaining({ revisionId: output.revisionId, source: 'model', state: 'draft', author: `model:jcs-lite:v${model.version}` }));
      const suggestion = await request(app.getHttpServer()).get(`/api/slices/${output.sliceId}/suggestion`).set(annotator).expect(200);
      expect(suggestion.body).toMatchObject({ revisionId: output.revisionId, hasGradcam: true });
    }
  }, 150000);
});
