import type { INestApplication } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { OBJECT_STORAGE, storeBlob, type ObjectStorage, type WorkerHost } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { BuildReleaseJob, ExportReleaseJob, ReleaseBuilder, ReleasesService } from '@lesionlab/releases';
import { EvaluateModelJob, EvaluationsRepository, ModelsRepository, RunsService } from '@lesionlab/training';
import { seedTinyRelease } from '@lesionlab/training/testing';
import { AuthService, createApp, startJobWorker } from '@lesionlab/api/testing';
import { runCli } from './cli.fixture';

const REPORT = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../libs/training/test/trainer-output/report.json'), 'utf8'));

describe('lesionlab release, model, user, token and audit commands', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let worker: WorkerHost;
  let storage: ObjectStorage;
  let apiUrl: string;
  let admin: Record<string, string>;
  let annotator: Record<string, string>;
  let tinyReleaseId: string;
  let modelId: string;
  let nextModelId: string;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-jobs-'));

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const auth = app.get(AuthService);
    const adminUser = (await auth.createUser('admin@example.org', 'admin', 'admin password 123'))!;
    const annotatorUser = (await auth.createUser('ann@example.org', 'annotator', 'annotator password'))!;
    admin = { LESIONLAB_API_URL: apiUrl, LESIONLAB_TOKEN: (await auth.createApiToken(adminUser.id, 'cli test')).token };
    annotator = { LESIONLAB_API_URL: apiUrl, LESIONLAB_TOKEN: (await auth.createApiToken(annotatorUser.id, 'cli test')).token };

    const dataSource = app.get(DataSource);
    storage = app.get<ObjectStorage>(OBJECT_STORAGE);
    ({ releaseId: tinyReleaseId } = await seedTinyRelease(dataSource, storage, { releases: app.get(ReleasesService), builder: app.get(ReleaseBuilder) }));
    worker = await startJobWorker(app, { 'releases.build': app.get(BuildReleaseJob), 'releases.export': app.get(ExportReleaseJob), 'training.evaluate': app.get(EvaluateModelJob) });

    // a registered model with a finished evaluation, as a CPU training run leaves them (no trainer needed)
    const run = await app.get(RunsService).create({ releaseId: tinyReleaseId, model: 'jcs-lite', gpus: 1, settings: {} });
    const blob = await storeBlob(storage, Buffer.from('jcs-lite weights stand-in'), 'application/octet-stream');
    const model = await app.get(ModelsRepository).register({ runId: run.id, releaseId: tinyReleaseId, name: 'jcs-lite', architecture: 'jcs-lite', blob, metrics: { 'val/dice': 0.5 }, logTail: [] });
    modelId = model.id;
    const nextRun = await app.get(RunsService).create({ releaseId: tinyReleaseId, model: 'jcs-lite', gpus: 1, settings: {} });
    nextModelId = (await app.get(ModelsRepository).register({ runId: nextRun.id, releaseId: tinyReleaseId, name: 'jcs-lite', architecture: 'jcs-lite', blob, metrics: {}, logTail: [] })).id;
    const evaluations = app.get(EvaluationsRepository);
    const evaluation = await evaluations.insert(model.id, tinyReleaseId, 'test');
    await evaluations.succeed(evaluation.id, {
      report: { ...REPORT, segmentation_lesion_slices: { ...REPORT.segmentation_lesion_slices, dice_mean: 0.712, dice_mean_ci95: [0.65, 0.77] }, classification: { ...REPORT.classification, auc: 0.9, auc_ci95: [0.8, 0.97] } },
      slices: [],
      overlays: [],
      blobs: [],
    });
  });
  afterAll(async () => {
    await worker?.stop(1000);
    await app?.close();
    await database?.drop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('release create --wait builds a release through the job, then list, show (split composition) and diff read it', async () => {
    const created = await runCli(['release', 'create', '--name', 'cli-tiny', '--collection', 'tiny', '--ratios', '60/20/20', '--seed', 'cli', '--wait', '--json'], admin);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const release = JSON.parse(created.stdout);
    expect(release).toMatchObject({ name: 'cli-tiny', status: 'ready', params: { ratios: { train: 60, val: 20, test: 20 }, seed: 'cli', selection: { collections: ['tiny'] } } });
    expect(release.summary.slices).toBe(10);

    const list = await runCli(['release', 'list', '--json'], admin);
    expect(JSON.parse(list.stdout).map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([release.id, tinyReleaseId]));

    const show = await runCli(['release', 'show', release.id], admin);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('cli-tiny v1');
    expect(show.stdout).toMatch(/train\s*│\s*\d+\s*│\s*\d+\s*│\s*pixel \d+/);
    expect(show.stdout).toContain('patients by label');

    const diff = await runCli(['release', 'diff', tinyReleaseId, release.id, '--json'], admin);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject({ from: tinyReleaseId, to: release.id, slices: { added: 0, removed: 0, kept: 10 } });
  });

  it('release export downloads the archive and checks its sha256; a mismatch (--expect-sha, or a stored archive altered) exits 1 and removes the file', async () => {
    const out = path.join(workDir, 'tiny-csv.tar.gz');
    const exported = await runCli(['release', 'export', tinyReleaseId, '--format', 'csv', '--out', out, '--json'], admin);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const result = JSON.parse(exported.stdout);
    const onDisk = createHash('sha256').update(fs.readFileSync(out)).digest('hex');
    expect(result).toMatchObject({ status: 'succeeded', file: out, sha256: onDisk, archiveSha256: onDisk });
    expect(result.bytes).toBe(fs.statSync(out).size);

    const wrong = path.join(workDir, 'wrong.tar.gz');
    const mismatch = await runCli(['release', 'export', tinyReleaseId, '--format', 'csv', '--out', wrong, '--expect-sha', '0'.repeat(64)], admin);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain(`sha256 ${onDisk} is not the ${'0'.repeat(64)} --expect-sha gives`);
    expect(fs.existsSync(wrong)).toBe(false);

    // the stored archive altered after it was built: the download no longer matches the sha256 the API reports
    await storage.put(result.archiveKey, Buffer.from('not the archive that was built'));
    const tampered = path.join(workDir, 'tampered.tar.gz');
    const altered = await runCli(['release', 'export', tinyReleaseId, '--format', 'csv', '--out', tampered], admin);
    expect(altered.code).toBe(1);
    expect(altered.stderr).toContain(`is not the ${onDisk} the API reports; ${tampered} was removed`);
    expect(fs.existsSync(tampered)).toBe(false);
  });

  it('model list, show (headline metrics of the latest evaluation), predict, evaluate --wait (a failed job exits 1), and promote (the previous production version is archived)', async () => {
    const list = await runCli(['model', 'list', '--json'], admin);
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: modelId, name: 'jcs-lite', version: 1, stage: 'candidate' }), expect.objectContaining({ id: nextModelId, version: 2 })]),
    );

    const show = await runCli(['model', 'show', modelId], admin);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/Dice \(mean\)\s*│\s*71\.2% \(95% CI 65\.0%–77\.0%\)/);
    expect(show.stdout).toMatch(/AUC\s*│\s*90\.0% \(95% CI 80\.0%–97\.0%\)/);
    expect(show.stdout).toMatch(/pixel specificity\s*│\s*100\.0%/);
    expect(show.stdout).not.toContain('"dice_mean"');

    const predict = await runCli(['model', 'predict', modelId, '--collection', 'tiny', '--no-gradcam', '--json'], admin);
    expect(predict.code).toBe(0);
    expect(JSON.parse(predict.stdout)).toMatchObject({ modelId, status: 'queued', selection: { collections: ['tiny'] } });

    // the stand-in weights are no checkpoint: the real evaluate job runs the trainer, which fails, and --wait exits 1 saying so
    const evaluate = await runCli(['model', 'evaluate', modelId, '--split', 'val', '--wait'], admin);
    expect(evaluate.code).toBe(1);
    expect(evaluate.stdout).toMatch(/on the val split .*: failed/);
    expect(evaluate.stderr).toMatch(/^lesionlab: evaluation [0-9a-f-]{36} failed: \S/m);

    const promote = await runCli(['model', 'promote', modelId, '--stage', 'production', '--json'], admin);
    expect(promote.code).toBe(0);
    expect(JSON.parse(promote.stdout)).toMatchObject({ id: modelId, stage: 'production' });
    const next = await runCli(['model', 'promote', nextModelId], admin);
    expect(next.stdout).toMatch(/jcs-lite\s*│\s*2\s*│\s*jcs-lite\s*│\s*production/);
    const stages = JSON.parse((await runCli(['model', 'list', '--json'], admin)).stdout).map((m: { version: number; stage: string }) => [m.version, m.stage]);
    expect(stages.sort()).toEqual([[1, 'archived'], [2, 'production']]);
  });

  it('user add (with a generated password), list and disable as an admin; a non-admin gets exit 3', async () => {
    const added = await runCli(['user', 'add', 'new@example.org', '--role', 'annotator', '--generate-password', '--json'], admin);
    expect(added.code).toBe(0);
    const user = JSON.parse(added.stdout);
    expect(user).toMatchObject({ email: 'new@example.org', role: 'annotator', disabled: false });
    expect(user.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const signIn = await fetch(`${apiUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'new@example.org', password: user.password }) });
    expect(signIn.status).toBe(200);

    const list = await runCli(['user', 'list'], admin);
    expect(list.stdout).toMatch(/new@example\.org\s*│\s*annotator/);

    const disabled = await runCli(['user', 'disable', 'new@example.org', '--json'], admin);
    expect(disabled.code).toBe(0);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ id: user.id, disabled: true });

    const forbidden = await runCli(['user', 'list'], annotator);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^lesionlab: 403: /)]);

    const duplicate = await runCli(['user', 'add', 'admin@example.org', '--role', 'admin'], admin);
    expect(duplicate.code).toBe(5);
  });

  it('token list and revoke: a revoked token stops working', async () => {
    const created = await runCli(['login', '--email', 'ann@example.org'], { LESIONLAB_API_URL: apiUrl, LESIONLAB_PASSWORD: 'annotator password', XDG_CONFIG_HOME: workDir });
    expect(created.code).toBe(0);
    const saved = { LESIONLAB_API_URL: apiUrl, XDG_CONFIG_HOME: workDir };
    const tokens = JSON.parse((await runCli(['token', 'list', '--json'], saved)).stdout) as { id: string; name: string; revokedAt: string | null }[];
    expect(tokens.map((t) => t.name)).toEqual(expect.arrayContaining(['cli test', expect.stringMatching(/^cli@/)]));
    const cliToken = tokens.find((t) => t.name.startsWith('cli@'))!;

    const revoked = await runCli(['token', 'revoke', cliToken.id], annotator);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`token ${cliToken.id} revoked`);
    const after = await runCli(['token', 'list'], saved);
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('lesionlab login');
  });

  it('audit --json filters the log by action and actor, one page at a time', async () => {
    const page = await runCli(['audit', '--json', '--action', 'POST /api/users', '--actor', 'admin@example.org', '--limit', '1'], admin);
    expect(page.code).toBe(0);
    const body = JSON.parse(page.stdout);
    expect(body.items).toEqual([expect.objectContaining({ actor: 'admin@example.org', action: 'POST /api/users' })]);
    expect(body.nextBefore).toEqual(expect.any(Number));
    const table = await runCli(['audit', '--action', 'POST /api/users', '--before', String(body.nextBefore)], admin);
    expect(table.stdout).toMatch(/POST \/api\/users/);
  });

  it('exits 2 on usage errors, 4 on what does not exist, with one line naming the problem', async () => {
    const badPolicy = await runCli(['release', 'create', '--label-policy', 'newest'], admin);
    expect(badPolicy.code).toBe(2);
    expect(badPolicy.stderr).toContain("argument 'newest' is invalid");

    const badDate = await runCli(['audit', '--since', 'yesterday'], admin);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('expected an ISO 8601 date');

    const badRatios = await runCli(['release', 'create', '--name', 'x', '--ratios', '0/0/0'], admin);
    expect(badRatios.code).toBe(2);

    const id = randomUUID();
    const notFound = await runCli(['release', 'show', id], admin);
    expect(notFound.code).toBe(4);
    expect(notFound.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^lesionlab: 404: .*${id}`))]);
    expect((await runCli(['model', 'show', id], admin)).code).toBe(4);
    // run create --init-model: a model that does not exist (4), or another preset's (2), each named
    const noModel = await runCli(['run', 'create', '--release', tinyReleaseId, '--model', 'jcs-lite', '--init-model', id], admin);
    expect(noModel.code).toBe(4);
    expect(noModel.stderr).toContain(`No model ${id} (initModelId)`);
    const otherPreset = await runCli(['run', 'create', '--release', tinyReleaseId, '--model', 'jcs-seg-lite', '--init-model', modelId], admin);
    expect(otherPreset.code).toBe(2);
    expect(otherPreset.stderr).toContain('is a jcs-lite model; a jcs-seg-lite run can only start from a jcs-seg-lite model');

    const help = await runCli(['--help'], admin);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('6  the API is unreachable');
    for (const group of ['release', 'model', 'user', 'token', 'audit']) expect(help.stdout).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
  });
});
