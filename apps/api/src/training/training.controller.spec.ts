import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OBJECT_STORAGE, type Config, type WorkerHost } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { ReleaseBuilder, ReleasesService } from '@lesionlab/releases';
import { seedTinyRelease, type TinyRelease } from '@lesionlab/training/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';
import { jobFinished, ROOT, runFinished, startTrainingWorker, TRAINER_PYTHON, waitFor } from './training-loop.fixture';

/** jcs-lite at 64x64 on the CPU: a few steps each, so the whole file stays well under two minutes. */
const TINY = { model: 'jcs-lite', batchSize: 4, imageSize: 64 } as const;

describe('training runs: launch, watch, register, evaluate, predict, cancel, resume', () => {
  let database: TestDatabase;
  let config: Config;
  let app: INestApplication;
  let tiny: TinyRelease;
  let auth: { Authorization: string };
  let worker: WorkerHost | null = null;
  const http = () => request.agent(app.getHttpServer()).set(auth);

  const startWorker = async () => {
    worker = await startTrainingWorker(app);
  };
  const run = (id: string) => http().get(`/api/runs/${id}`).then((r) => r.body);
  const finished = (id: string) => runFinished(http, id);

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', TRAINER_PYTHON });
    app = await createApp(config);
    await app.init();
    auth = await actAs(app, 'admin');
    tiny = await seedTinyRelease(app.get(DataSource), app.get(OBJECT_STORAGE), { releases: app.get(ReleasesService), builder: app.get(ReleaseBuilder) });
  });
  afterEach(async () => {
    await worker?.stop(2000);
    worker = null;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses a run on a release that does not exist (400)', async () => {
    const response = await http().post('/api/runs').send({ releaseId: randomUUID(), model: 'jcs-lite' }).expect(400);
    expect(response.body.detail).toMatch(/No release/);
  });

  it('trains, streams and stores metrics, registers the model, evaluates it on the test split, and predicts drafts annotators see', async () => {
    await startWorker();
    const created = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, steps: 6, settings: { log_every: 2, checkpoint_every: 3 } }).expect(202);
    expect(created.body.status).toBe('queued');
    const events = await http().get(`/api/runs/${created.body.id}/events`).buffer(true).expect(200);
    expect(events.headers['content-type']).toMatch(/text\/event-stream/);
    expect(events.text).toMatch(/event: metrics/);

    const done = await finished(created.body.id);
    expect(done).toMatchObject({ status: 'succeeded', device: 'cpu', progress: { step: 6, totalSteps: 6 }, modelId: expect.any(String) });
    const losses = done.metrics.filter((m: { name: string; split: string }) => m.name === 'loss' && m.split === 'train');
    expect(losses.map((m: { step: number }) => m.step)).toEqual([2, 4, 6]);
    expect(done.metrics.some((m: { split: string; name: string }) => m.split === 'val' && m.name === 'dice')).toBe(true);
    expect(done.artifacts.map((a: { kind: string; name: string }) => `${a.kind}:${a.name}`)).toEqual(expect.arrayContaining(['checkpoint:step-00000003.pt', 'checkpoint:step-00000006.pt', 'model:model.pt']));

    const model = (await http().get('/api/models').expect(200)).body.items.find((m: { runId: string }) => m.runId === created.body.id);
    expect(model).toMatchObject({ name: 'jcs-lite', version: 1, releaseId: tiny.releaseId, stage: 'candidate' });
    expect(model.metrics['train/loss']).toEqual(expect.any(Number));
    expect(model.evaluations).toHaveLength(1);
    const evaluation = await jobFinished(http, `/api/evaluations/${model.evaluations[0].id}`);
    expect(evaluation).toMatchObject({ status: 'succeeded', split: 'test' });
    expect(evaluation.slices.length).toBeGreaterThan(0);
    expect(evaluation.report.classification ?? evaluation.report.segmentation).toBeDefined();
    expect(evaluation.report.classification.roc).toEqual([]); // the two test patients are of one class
    expect(evaluation.report).not.toHaveProperty('worst_slices'); // its files are stored as the overlays
    // the worst slices, each drawn by the evaluation itself before the model ever predicted there
    expect(evaluation.overlays.length).toBeGreaterThan(0);
    const sliceIds = new Set(evaluation.slices.map((s: { slice_id: string }) => s.slice_id));
    for (const [index, overlay] of evaluation.overlays.entries()) {
      expect(sliceIds.has(overlay.sliceId)).toBe(true);
      await http().get(`/api/slices/${overlay.sliceId}/suggestion`).expect(404);
      expect(Object.keys(overlay.images).sort()).toEqual(['gradcam', 'prediction', 'truth']);
      const drawings = new Map<string, Buffer>();
      for (const kind of Object.keys(overlay.images)) {
        const image = await http().get(`/api/evaluations/${evaluation.id}/overlays/${index}?kind=${kind}`).buffer(true).expect(200).expect('Content-Type', 'image/png');
        drawings.set(kind, image.body as Buffer);
      }
      expect(drawings.get('gradcam')!.equals(drawings.get('truth')!)).toBe(false);
    }
    const missing = await http().get(`/api/evaluations/${evaluation.id}/overlays/${evaluation.overlays.length}?kind=gradcam`).expect(404);
    expect(missing.body.detail).toMatch(new RegExp(`has no overlay ${evaluation.overlays.length} \\(it has ${evaluation.overlays.length}\\)`));
    const badKind = await http().get(`/api/evaluations/${evaluation.id}/overlays/0?kind=heatmap`).expect(400);
    expect(badKind.body.detail).toMatch(/kind/);
    // the train split holds both classes: its evaluation traces the ROC curve from (0,0) to (1,1)
    const onTrain = await http().post(`/api/models/${model.id}/evaluate`).send({ split: 'train' }).expect(202);
    const roc = (await jobFinished(http, `/api/evaluations/${onTrain.body.id}`)).report.classification.roc;
    expect([roc[0], roc.at(-1)]).toEqual([{ fpr: 0, tpr: 0, threshold: null }, { fpr: 1, tpr: 1, threshold: expect.any(Number) }]);

    const batch = await http().post(`/api/models/${model.id}/predict`).send({ selection: { cohorts: ['negative'] } }).expect(202);
    const predicted = await jobFinished(http, `/api/predictions/${batch.body.id}`);
    expect(predicted).toMatchObject({ status: 'succeeded', slices: tiny.negativeSliceIds.length, drafts: tiny.negativeSliceIds.length });
    for (const output of predicted.outputs) {
      expect(output).toMatchObject({ uncertainty: expect.any(Number), gradcamSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const history = await http().get(`/api/slices/${output.sliceId}/mask/revisions`).expect(200);
      expect(history.body.items).toContainEqual(expect.objectContaining({ revisionId: output.revisionId, source: 'model', state: 'draft', author: 'model:jcs-lite:v1' }));
    }
  });

  it('refuses to start a run from a model that does not exist (404) or is another trainer model\'s (400), naming them', async () => {
    const missingId = randomUUID();
    const missing = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, initModelId: missingId }).expect(404);
    expect(missing.body.detail).toBe(`No model ${missingId} (initModelId)`);
    // the jcs-lite model the run above registered
    const model = (await http().get('/api/models').expect(200)).body.items.find((m: { architecture: string }) => m.architecture === 'jcs-lite');
    const other = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, model: 'jcs-seg-lite', initModelId: model.id }).expect(400);
    expect(other.body.detail).toBe(`initModelId: model jcs-lite v${model.version} (${model.id}) is a jcs-lite model; a jcs-seg-lite run can only start from a jcs-seg-lite model`);
    const runs = (await http().get('/api/runs').expect(200)).body.items;
    expect(runs.filter((r: { config: { initModelId?: string } }) => r.config.initModelId !== undefined)).toEqual([]);
  });

  it('refuses run settings outside the allowlist, and out-of-range values, naming them (400)', async () => {
    const refused = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, settings: { init_checkpoint: '/etc/passwd', cache_dir: '/', lr: 1e-3 } }).expect(400);
    expect(refused.body.detail).toMatch(/settings: init_checkpoint, cache_dir are not settings a run may set/);
    const range = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, settings: { crop_p: 2 } }).expect(400);
    expect(range.body.detail).toMatch(/settings\.crop_p: /);
    expect((await http().get('/api/runs').expect(200)).body.items.filter((r: { config: { settings: object } }) => 'init_checkpoint' in r.config.settings)).toEqual([]);
  });

  it('ends a run the trainer refuses as failed, with the trainer\'s own message and its last log lines, without retrying', async () => {
    await startWorker();
    // the tiny release has no patient-level slices, so these sampling ratios match no training slice
    const created = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, steps: 2, settings: { sampling: { patient: 1 } } }).expect(202);
    const done = await finished(created.body.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/no training slices match the sampling ratios/);
    expect(done.modelId ?? null).toBeNull();
  });

  it('cancels a running run: the trainer is stopped and the run ends cancelled', async () => {
    await startWorker();
    const created = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, steps: 100000, settings: { log_every: 1 } }).expect(202);
    await waitFor(() => run(created.body.id), (b) => (b.progress?.step ?? 0) >= 1, 'the first steps');
    await http().post(`/api/runs/${created.body.id}/cancel`).expect(202);
    const done = await finished(created.body.id);
    expect(done.status).toBe('cancelled');
    expect(done.progress.step).toBeLessThan(100000);
    expect(done.modelId).toBeNull();
  });

  it('resumes a run whose worker was killed with SIGKILL from its last uploaded checkpoint, the step count continuing', async () => {
    const child: ChildProcess = spawn(process.execPath, ['-r', './infra/scripts/register.js', 'libs/training/test/training-worker.fixture.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: config.DATABASE_URL, QUEUE_PREFIX: config.QUEUE_PREFIX, LESIONLAB_HOME: config.LESIONLAB_HOME, SIGNING_SECRET: config.SIGNING_SECRET, TRAINER_PYTHON: config.TRAINER_PYTHON, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('worker ready') && resolve());
        child.once('exit', (code) => reject(new Error(`fixture worker exited (${code})`)));
      });
      const steps = 40;
      const created = await http().post('/api/runs').send({ releaseId: tiny.releaseId, ...TINY, steps, settings: { log_every: 2, checkpoint_every: 8 } }).expect(202);
      await waitFor(() => run(created.body.id), (b) => b.artifacts.some((a: { kind: string }) => a.kind === 'checkpoint'), 'a first uploaded checkpoint');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      await startWorker();
      const done = await finished(created.body.id);
      expect(done.status).toBe('succeeded');
      expect(done.resumedFromStep).toBeGreaterThanOrEqual(8);
      expect(done.resumedFromStep).toBeLessThan(steps);
      expect(done.logTail.join('\n')).toMatch(new RegExp(`resumed from .* at step ${done.resumedFromStep}`));
      // one line of steps: nothing repeated (a restart from zero would repeat them), ending at the last
      const trainSteps = done.metrics.filter((m: { name: string; split: string }) => m.name === 'loss' && m.split === 'train').map((m: { step: number }) => m.step);
      expect(trainSteps).toEqual([...trainSteps].sort((a, b) => a - b));
      expect(new Set(trainSteps).size).toBe(trainSteps.length);
      expect(trainSteps.at(-1)).toBe(steps);
    } finally {
      child.kill('SIGKILL');
    }
  }, 150000);
});
