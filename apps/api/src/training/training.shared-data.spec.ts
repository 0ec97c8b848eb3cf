import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { ImportRun, Release, StartImport } from '@lesionlab/contracts';
import { ImportSlicesJob } from '@lesionlab/catalog';
import type { WorkerHost } from '@lesionlab/platform';
import { createTestDatabase, testConfig, testServices, type TestDatabase } from '@lesionlab/platform/testing';
import { BuildReleaseJob, parseManifest } from '@lesionlab/releases';
import { EvaluateModelJob, PredictSlicesJob, TrainRunJob } from '@lesionlab/training';
import { SHARED_DATA } from '@lesionlab/catalog/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';
import { jobFinished, runFinished, startJobWorker, TRAINER_PYTHON, waitFor } from './training-loop.fixture';

const data = (relative: string) => path.join(SHARED_DATA, relative);

// infnet-pseudo is 1,600 files of one kind (grey JPEG, a grey PNG soft mask of the same stem, 20 series): every
// 8th of them, which keeps every series, goes through the same import, release, training and evaluation code as
// all of them did, at an eighth of the import and of what the run and the evaluation download.
const INFNET_STRIDE = 8;

/** Copies every INFNET_STRIDE-th infnet-pseudo image and its soft mask to `dir` (images/, soft-masks/); returns how many. */
async function sampleInfnet(dir: string): Promise<number> {
  const images = (await fs.readdir(data('infnet-pseudo/images'))).sort().filter((_, i) => i % INFNET_STRIDE === 0);
  const stems = new Set(images.map((name) => path.parse(name).name));
  const masks = (await fs.readdir(data('infnet-pseudo/soft-masks'))).filter((name) => stems.has(path.parse(name).name));
  for (const [folder, names] of [['images', images], ['soft-masks', masks]] as const) {
    await fs.mkdir(path.join(dir, folder), { recursive: true });
    for (const name of names) await fs.copyFile(data(`infnet-pseudo/${folder}/${name}`), path.join(dir, folder, name));
  }
  return images.length;
}

/** The four shared sets (infnet-pseudo's sample from `infnetDir`) with the options the README's release section shows (no labels beyond what the files say). */
const importsOf = (infnetDir: string): Record<string, StartImport> => ({
  'medseg-ct100': { format: 'manifest', source: { kind: 'path', path: data('medseg-ct100/manifest.csv') }, options: { maskThreshold: 1 } },
  'covid-ct': { format: 'manifest', source: { kind: 'path', path: data('covid-ct/manifest.csv') }, options: { maskThreshold: 1 } },
  'covid-cs-examples': { format: 'covid-cs', source: { kind: 'path', path: data('covid-cs-examples') }, options: { maskThreshold: 1 } },
  'infnet-pseudo': {
    format: 'images',
    source: { kind: 'path', path: path.join(infnetDir, 'images') },
    options: { collection: 'infnet-pseudo', masks: path.join(infnetDir, 'soft-masks'), maskThreshold: 128 },
  },
});

const ENDED = (status: string) => !['queued', 'running', 'building'].includes(status);
// A bound on waiting, not a speed check: while the other jest workers run, all 1,600 infnet-pseudo slices
// have taken more than 2 minutes on a 2-core machine (the 200 here, about 5 s alone).
const IMPORT_WAIT_MS = 180_000;

// The end-to-end path, through the API, the queue (Redis), S3 storage, the worker's own job
// handlers and the real trainer on the CPU: a mixed catalog of every shared set becomes a default
// release that trains, evaluates and predicts. It needs ../shared/data and says so when it is absent.
describe('from the four shared sets to a trained, evaluated and predicting jcs-lite (CPU)', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let worker: WorkerHost | null = null;
  let auth: { Authorization: string };
  let infnetDir: string;
  let infnetSlices: number;
  const http = () => request.agent(app.getHttpServer()).set(auth);

  beforeAll(async () => {
    await fs.access(SHARED_DATA).catch(() => {
      throw new Error(`${SHARED_DATA} is missing: this end-to-end test imports the four shared CT sets from there (CI has them at ../shared/data beside the repository)`);
    });
    infnetDir = await fs.mkdtemp(path.join(os.tmpdir(), 'infnet-sample-'));
    infnetSlices = await sampleInfnet(infnetDir);
    const { redisUrl, s3 } = testServices();
    database = await createTestDatabase();
    app = await createApp(
      testConfig({
        DATABASE_URL: database.url,
        QUEUE_BACKEND: 'redis',
        REDIS_URL: redisUrl,
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        LOG_LEVEL: 'silent',
        TRAINER_PYTHON,
        IMPORT_ALLOWED_ROOTS: `${SHARED_DATA},${infnetDir}`,
      }),
    );
    await app.init();
    auth = await actAs(app, 'admin');
    worker = await startJobWorker(app, {
      'catalog.import': app.get(ImportSlicesJob),
      'releases.build': app.get(BuildReleaseJob),
      'training.train': app.get(TrainRunJob),
      'training.evaluate': app.get(EvaluateModelJob),
      'training.predict': app.get(PredictSlicesJob),
    });
  });
  afterAll(async () => {
    await worker?.stop(2000);
    await app?.close();
    await database?.drop();
    if (infnetDir) await fs.rm(infnetDir, { recursive: true, force: true });
  });

  it('imports all four sets, cuts a default release, trains to succeeded, evaluates on test and predicts drafts', async () => {
    const imports: Record<string, ImportRun> = {};
    for (const [name, body] of Object.entries(importsOf(infnetDir))) {
      const started = await http().post('/api/imports').send(body).expect(202);
      imports[name] = await waitFor(() => http().get(`/api/imports/${started.body.id}`).then((r) => r.body as ImportRun), (b) => ENDED(b.status), `import of ${name}`, IMPORT_WAIT_MS);
      expect(imports[name]).toMatchObject({ status: 'succeeded', failed: 0 });
    }
    expect(imports['medseg-ct100']).toMatchObject({ imported: 50, masks: 50 });
    expect(infnetSlices).toBe(200);
    expect(imports['infnet-pseudo']).toMatchObject({ imported: infnetSlices, masks: infnetSlices });
    expect(imports['covid-cs-examples']).toMatchObject({ imported: 8, masks: 0 });

    const created = await http().post('/api/releases').send({ name: 'shared-data' }).expect(202);
    const release = await waitFor(() => http().get(`/api/releases/${created.body.id}`).then((r) => r.body as Release), (b) => ENDED(b.status), 'the release', 120000);
    expect(release).toMatchObject({ status: 'ready', error: null });
    const { train, val, test } = release.summary!.splits;
    expect(train.slices + val.slices + test.slices).toBe(50 + 600 + 8 + infnetSlices);
    // a lesion mask made the unlabelled medseg and infnet patients covid; only empty masks of unlabelled patients stay unknown
    const download = await http()
      .get(`/api/releases/${release.id}/manifest`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const manifest = parseManifest(download.body as Buffer);
    const lesionArea = new Map<string, number>(
      ((await app.get(DataSource).query('SELECT id, area FROM mask_revisions')) as Array<{ id: string; area: number }>).map((r) => [r.id, r.area]),
    );
    const pixel = manifest.filter((i) => i.supervision === 'pixel');
    expect(pixel).toHaveLength(50 + infnetSlices);
    for (const item of pixel) expect([item.slice_id, item.label]).toEqual([item.slice_id, lesionArea.get(item.mask_revision_id!)! > 0 ? 'covid' : 'unknown']);
    expect(manifest.filter((i) => i.source === 'covid-ct' && i.label === 'negative').length).toBeGreaterThan(0);

    const run = await runFinished(
      http,
      (await http()
        .post('/api/runs')
        .send({ releaseId: release.id, model: 'jcs-lite', batchSize: 4, imageSize: 32, steps: 4, settings: { log_every: 2, checkpoint_every: 4 } })
        .expect(202)).body.id,
      240000,
    );
    expect(run).toMatchObject({ status: 'succeeded', error: null, device: 'cpu', progress: { step: 4, totalSteps: 4 }, modelId: expect.any(String) });
    const losses = run.metrics.filter((m: { name: string; split: string }) => m.name === 'loss' && m.split === 'train');
    expect(losses.length).toBeGreaterThan(0);
    for (const loss of losses) expect(loss.value).toBeGreaterThan(0);

    const model = (await http().get(`/api/models/${run.modelId}`).expect(200)).body;
    const evaluation = await jobFinished(http, `/api/evaluations/${model.evaluations[0].id}`, 240000);
    expect(evaluation).toMatchObject({ status: 'succeeded', split: 'test' });
    expect(evaluation.slices).toHaveLength(test.slices);
    const { segmentation_lesion_slices: segmentation, classification } = evaluation.report;
    expect(segmentation.dice_mean).toBeGreaterThanOrEqual(0);
    expect(segmentation.dice_mean).toBeLessThanOrEqual(1);
    expect(segmentation.slices).toBe(evaluation.slices.filter((s: { supervision: string }) => s.supervision === 'pixel').length);
    // the test split holds negatives and covid patients: an AUC exists and is a probability
    expect(classification.auc).toBeGreaterThanOrEqual(0);
    expect(classification.auc).toBeLessThanOrEqual(1);
    expect(classification.confusion.tp + classification.confusion.fp + classification.confusion.fn + classification.confusion.tn).toBe(classification.slices);

    const batch = await http().post(`/api/models/${model.id}/predict`).send({ selection: { importIds: [imports['covid-cs-examples'].id] } }).expect(202);
    const predicted = await jobFinished(http, `/api/predictions/${batch.body.id}`, 120000);
    expect(predicted).toMatchObject({ status: 'succeeded', slices: 8, drafts: 8 });
    for (const output of predicted.outputs) {
      expect(output.covidProbability).toBeGreaterThanOrEqual(0);
      expect(output.covidProbability).toBeLessThanOrEqual(1);
    }
    const [{ drafts }] = await app.get(DataSource).query(`SELECT count(*)::int AS drafts FROM mask_revisions WHERE source = 'model' AND state = 'draft'`);
    expect(drafts).toBe(8);
  }, 900000);
});
