import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { findRecipe } from '@lesionlab/contracts';
import { OBJECT_STORAGE, type WorkerHost } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { ReleaseBuilder, ReleasesService } from '@lesionlab/releases';
import { seedTinyRelease, type TinyRelease } from '@lesionlab/training/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';
import { jobFinished, runFinished, startTrainingWorker, TRAINER_PYTHON } from './training-loop.fixture';

/** The jcs-lite recipe (the jcs recipe's stages at toy sizes) through POST /api/runs and a real worker and trainer. */
describe('recipe runs: launched by name, stages recorded, model registered and evaluated', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let tiny: TinyRelease;
  let auth: { Authorization: string };
  let worker: WorkerHost | null = null;
  const http = () => request.agent(app.getHttpServer()).set(auth);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', TRAINER_PYTHON }));
    await app.init();
    auth = await actAs(app, 'admin');
    tiny = await seedTinyRelease(app.get(DataSource), app.get(OBJECT_STORAGE), { releases: app.get(ReleasesService), builder: app.get(ReleaseBuilder) });
  });
  afterAll(async () => {
    await worker?.stop(2000);
    await app.close();
    await database.drop();
  });

  it('refuses a recipe run without its pretraining release, with sizes of its own, from a registered model, or for another model, naming the field (400)', async () => {
    const missing = await http().post('/api/runs').send({ releaseId: tiny.releaseId, model: 'jcs-lite', recipe: 'jcs-lite' }).expect(400);
    expect(JSON.stringify(missing.body)).toMatch(/pretrainReleaseId/);
    const sized = await http().post('/api/runs').send({ releaseId: tiny.releaseId, model: 'jcs-lite', recipe: 'jcs-lite', pretrainReleaseId: tiny.releaseId, steps: 5 }).expect(400);
    expect(JSON.stringify(sized.body)).toMatch(/sets steps per stage/);
    const fromModel = await http().post('/api/runs').send({ releaseId: tiny.releaseId, model: 'jcs-lite', recipe: 'jcs-lite', pretrainReleaseId: tiny.releaseId, initModelId: randomUUID() }).expect(400);
    expect(fromModel.body.errors).toEqual([expect.stringMatching(/^initModelId: recipe jcs-lite sets each stage's starting weights itself/)]);
    const otherModel = await http().post('/api/runs').send({ releaseId: tiny.releaseId, model: 'jcs', recipe: 'jcs-lite', pretrainReleaseId: tiny.releaseId }).expect(400);
    expect(otherModel.body.errors).toEqual(['model: recipe jcs-lite trains jcs-lite; set model to jcs-lite or leave the recipe out']);
  });

  it("runs every stage in order (the recipe's model when the request names none), shows them on the run, and registers the soup model with its evaluation", async () => {
    worker = await startTrainingWorker(app);
    const recipe = findRecipe('jcs-lite')!;
    const created = await http().post('/api/runs').send({ releaseId: tiny.releaseId, recipe: 'jcs-lite', pretrainReleaseId: tiny.releaseId }).expect(202);
    expect(created.body.config).toMatchObject({ model: 'jcs-lite', recipe: 'jcs-lite', recipeVersion: recipe.version, pretrainReleaseId: tiny.releaseId });
    expect(created.body.stages.map((s: { state: string }) => s.state)).toEqual(recipe.stages.map(() => 'pending'));

    const done = await runFinished(http, created.body.id);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', device: 'cpu', modelId: expect.any(String) });
    expect(done.stages).toEqual(recipe.stages.map((stage) => ({ name: stage.name, description: stage.description, state: 'finished', seconds: expect.any(Number) })));
    expect(done.logTail).toEqual(expect.arrayContaining([`[stage] ${recipe.stages[0].name} (1/2) started`, `[stage] ${recipe.stages[1].name} (2/2) finished`]));
    // every stage's training left its loss curve: the steps of the last stage end the run's progress
    expect(done.progress).toMatchObject({ step: recipe.stages[1].steps, totalSteps: recipe.stages[1].steps });

    const model = (await http().get('/api/models').expect(200)).body.items.find((m: { runId: string }) => m.runId === created.body.id);
    expect(model).toMatchObject({ name: 'jcs-lite', architecture: 'jcs-lite', releaseId: tiny.releaseId });
    const evaluation = await jobFinished(http, `/api/evaluations/${model.evaluations[0].id}`);
    expect(evaluation).toMatchObject({ status: 'succeeded', split: 'test' });
  });
});
