import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { WorkerHost } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { ReleaseBuilder, ReleasesService } from '@lesionlab/releases';
import { SHIPPED_FOLDER } from '../assist/assist-models';
import { ASSIST_MODELS_DIR, importMedseg, medsegPresent, SHARED_DATA } from '../assist/medseg.fixture';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';
import { runFinished, startTrainingWorker, TRAINER_PYTHON } from './training-loop.fixture';

describe('the medsam-lite preset through the worker (CPU, one step) to a model AI assist offers, and a second run from that model', () => {
  let present = false;
  let database: TestDatabase;
  let app: INestApplication;
  let auth: { Authorization: string };
  let worker: WorkerHost | null = null;
  const http = () => request.agent(app.getHttpServer()).set(auth);
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assist-models-'));

  beforeAll(async () => {
    present = await medsegPresent();
    if (!present) {
      console.warn('skipping the medsam-lite run: medseg-ct100 is absent from the shared data');
      return;
    }
    fs.symlinkSync(path.join(ASSIST_MODELS_DIR, SHIPPED_FOLDER), path.join(modelsDir, SHIPPED_FOLDER));
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', TRAINER_PYTHON, ASSIST_MODELS_DIR: modelsDir, IMPORT_ALLOWED_ROOTS: SHARED_DATA }));
    await app.init();
    auth = await actAs(app, 'admin');
  });
  afterAll(async () => {
    fs.rmSync(modelsDir, { recursive: true, force: true });
    if (!present) return;
    await worker?.stop(2000);
    await app.close();
    await database.drop();
  });

  it('refuses settings the preset cannot honour by name, then trains a step, registers the model and lists it for assist; a second run starts from that model', async () => {
    if (!present) return;
    await importMedseg(app);
    const releases = app.get(ReleasesService);
    const release = await releases.create({
      name: 'medseg-medsam',
      description: '',
      selection: {},
      ratios: { train: 98, val: 2, test: 0 },
      seed: 'medsam',
      stratifyBy: [],
      labelPolicy: 'accepted',
      pinned: {},
      keepNearDuplicatesTogether: false,
    });
    await app.get(ReleaseBuilder).build(release.id);
    // One val slice and one step: on the CPU LiteMedSAM's encoder takes ~1 s a slice forward and ~4 s a training
    // slice; the preset validates before and after training, and one step shows both.
    expect((await releases.get(release.id)).summary?.splits.val.slices).toBe(1);
    worker = await startTrainingWorker(app);

    const refused = await http().post('/api/runs').send({ releaseId: release.id, model: 'medsam-lite', imageSize: 128, steps: 2 }).expect(202);
    expect(await runFinished(http, refused.body.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('medsam-lite takes 256-px images only') });

    const created = await http().post('/api/runs').send({ releaseId: release.id, model: 'medsam-lite', batchSize: 1, steps: 1 }).expect(202);
    const run = await runFinished(http, created.body.id, 150_000);
    expect(run).toMatchObject({ status: 'succeeded', device: 'cpu', progress: { step: 1, totalSteps: 1 }, modelId: expect.any(String) });
    const valDice = run.metrics.filter((m: { name: string; split: string }) => m.name === 'val_box_dice' && m.split === 'val');
    expect(valDice.map((m: { step: number }) => m.step)).toEqual([0, 1]);
    expect(valDice.every((m: { value: number }) => m.value > 0 && m.value <= 1)).toBe(true);

    const model = (await http().get(`/api/models/${run.modelId}`).expect(200)).body;
    expect(model).toMatchObject({ name: 'medsam-lite', runId: run.id, releaseId: release.id, evaluations: [] });
    const listed = await http().get('/api/assist/models').expect(200);
    expect(listed.body.items).toContainEqual({ id: model.id, name: 'medsam-lite (fine-tuned)', version: `v${model.version}` });
    // A box-prompt model segments no whole slice: evaluating or predicting with it is refused by name, nothing queued.
    for (const action of ['evaluate', 'predict']) {
      const refused = await http().post(`/api/models/${model.id}/${action}`).send(action === 'predict' ? { selection: { collections: ['medseg-ct100'] } } : {}).expect(400);
      expect(refused.body.detail).toBe(`Model medsam-lite v${model.version} (${model.id}) is a medsam-lite model: it draws masks from boxes in the editor's AI assist and cannot evaluate or predict whole slices`);
    }
    expect((await http().get(`/api/models/${model.id}`).expect(200)).body.evaluations).toEqual([]);

    // The second run of a two-run fine-tune: it starts from the first run's model, not the shipped weights.
    const next = await http().post('/api/runs').send({ releaseId: release.id, model: 'medsam-lite', batchSize: 1, steps: 1, initModelId: model.id }).expect(202);
    const listedRun = (await http().get('/api/runs').expect(200)).body.items.find((r: { id: string }) => r.id === next.body.id);
    expect(listedRun.config).toMatchObject({ initModelId: model.id });
    const second = await runFinished(http, next.body.id, 150_000);
    expect(second).toMatchObject({ status: 'succeeded', config: { initModelId: model.id }, modelId: expect.any(String) });
    expect(second.logTail.join('\n')).toMatch(/initialised all \d+ tensors from \S*\/init-model\/model\.pt/);
    const secondModel = (await http().get(`/api/models/${second.modelId}`).expect(200)).body;
    expect(secondModel).toMatchObject({ name: 'medsam-lite', version: model.version + 1, runId: second.id, initModelId: model.id });
    expect(model.initModelId).toBeNull();
    expect(secondModel.sha256).not.toBe(model.sha256);
  }, 360_000);
});
