import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createLogger, QUEUE_BACKEND, WorkerHost, type QueueBackend, type RegisteredHandler } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { BuildReleaseJob, ExportReleaseJob } from '@lesionlab/releases';
import { seedCatalog } from '@lesionlab/releases/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

describe('/api/releases', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let worker: WorkerHost;
  let curator: { Authorization: string };
  const http = () => request.agent(app.getHttpServer()).set(curator);

  async function waitFor<T>(fetch: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 30000;
    for (;;) {
      const value = await fetch();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const release = (id: string) => waitFor(async () => (await http().get(`/api/releases/${id}`)).body, (b) => b.status !== 'building', 'the build');

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' }));
    await app.init();
    curator = await actAs(app, 'data-manager');
    await seedCatalog(app.get(DataSource), { masked: 6, labelOnly: 4, negative: 6, unknown: 2, slicesPerPatient: 3 });
    const handler = (name: string, instance: { handle: RegisteredHandler['handle'] }): [string, RegisteredHandler] => [
      name,
      { name, queue: 'releases', source: name, handle: instance.handle.bind(instance) },
    ];
    worker = new WorkerHost(
      app.get<QueueBackend>(QUEUE_BACKEND),
      new Map([handler('releases.build', app.get(BuildReleaseJob)), handler('releases.export', app.get(ExportReleaseJob))]),
      createLogger('test', 'silent'),
    );
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop(2000);
    await app.close();
    await database.drop();
  });

  it('cuts a release through its build job, numbers versions per name, and serves the manifest', async () => {
    const created = await http().post('/api/releases').send({ name: 'covid-cs', seed: 'abc' }).expect(202);
    expect(created.body).toMatchObject({ name: 'covid-cs', version: 1, title: 'covid-cs v1', status: 'building' });
    const ready = await release(created.body.id);
    expect(ready).toMatchObject({ status: 'ready', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(ready.summary.slices).toBe(16 * 3 + 2);
    const manifest = await http().get(`/api/releases/${created.body.id}/manifest`).expect(200);
    expect(manifest.headers['content-type']).toMatch(/ndjson/);
    expect(createHash('sha256').update(manifest.text).digest('hex')).toBe(ready.digest);
    const second = await http().post('/api/releases').send({ name: 'covid-cs', seed: 'abc' }).expect(202);
    expect(second.body.version).toBe(2);
    expect((await release(second.body.id)).digest).toBe(ready.digest);
    const listed = await http().get('/api/releases').expect(200);
    expect(listed.body.items.map((r: { title: string }) => r.title)).toEqual(expect.arrayContaining(['covid-cs v1', 'covid-cs v2']));
  });

  it('refuses every change to a release', async () => {
    const { body } = await http().post('/api/releases').send({ name: 'frozen' }).expect(202);
    await release(body.id);
    for (const method of ['put', 'patch', 'delete'] as const) {
      const response = await http()[method](`/api/releases/${body.id}`).send({ description: 'x' }).expect(409);
      expect(response.body.detail).toMatch(/immutable/);
    }
  });

  it('exports COCO JSON as files with sha256 and a tar.gz archive', async () => {
    const { body } = await http().post('/api/releases').send({ name: 'exported' }).expect(202);
    const ready = await release(body.id);
    await http().post(`/api/releases/${body.id}/exports`).send({ format: 'coco' }).expect(202);
    const exported = await waitFor(
      async () => (await http().get(`/api/releases/${body.id}/exports`)).body.items[0],
      (e) => e?.status === 'succeeded' || e?.status === 'failed',
      'the export',
    );
    expect(exported.status).toBe('succeeded');
    expect(exported.files.map((f: { path: string }) => f.path).sort()).toEqual(['annotations/test.json', 'annotations/train.json', 'annotations/val.json']);
    const archive = await http()
      .get(`/api/releases/${body.id}/exports/coco/archive`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesionlab-export-'));
    fs.writeFileSync(path.join(dir, 'a.tar.gz'), archive.body as Buffer);
    execFileSync('tar', ['-xzf', path.join(dir, 'a.tar.gz'), '-C', dir]);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8'));
    expect(index.digest).toBe(ready.digest);
    let annotations = 0;
    for (const file of index.files) {
      const content = fs.readFileSync(path.join(dir, file.path));
      expect(createHash('sha256').update(content).digest('hex')).toBe(file.sha256);
      const coco = JSON.parse(content.toString());
      annotations += coco.annotations.length;
      for (const a of coco.annotations) expect(a.segmentation.size).toEqual([64, 64]);
    }
    expect(annotations).toBe(ready.summary.splits.train.slicesBySupervision.pixel + ready.summary.splits.val.slicesBySupervision.pixel + ready.summary.splits.test.slicesBySupervision.pixel);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('diffs two releases', async () => {
    const a = await http().post('/api/releases').send({ name: 'diff', seed: 'one' }).expect(202);
    const b = await http().post('/api/releases').send({ name: 'diff', selection: { cohorts: ['covid'] }, seed: 'one' }).expect(202);
    await Promise.all([release(a.body.id), release(b.body.id)]);
    const diff = await http().get(`/api/releases/${a.body.id}/diff`).query({ to: b.body.id }).expect(200);
    expect(diff.body.slices.added).toBe(0);
    expect(diff.body.slices.removed).toBe(6 * 3 + 2);
  });

  it('answers bad input with a problem naming it', async () => {
    const bad = await http().post('/api/releases').send({ name: '', ratios: { train: -1, val: 0, test: 0 } }).expect(400);
    expect(bad.body.detail).toMatch(/name/);
    expect(bad.body.detail).toMatch(/ratios/);
    await http().post('/api/releases').send({ name: 'x', unknownField: 1 }).expect(400);
    await http().get('/api/releases/00000000-0000-4000-8000-000000000000').expect(404);
    await http().get('/api/releases/not-a-uuid').expect(400);
    const empty = await http().post('/api/releases').send({ name: 'empty', selection: { collections: ['none'] } }).expect(202);
    const failed = await release(empty.body.id);
    expect(failed).toMatchObject({ status: 'failed', error: 'The selection matches no slices: nothing to release' });
    await http().get(`/api/releases/${empty.body.id}/manifest`).expect(409);
  });
});
