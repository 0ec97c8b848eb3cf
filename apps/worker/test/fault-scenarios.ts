// Fault scenarios of issue 9 against real processes, shared by the jest tests (apps/worker/test/
// faults.spec.ts) and `npm run bench -- faults` (bench/faults-*.ts). Each returns its figures and
// whether they prove the claim; the callers assert or report them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { CatalogModule, ImportsService } from '@lesionlab/catalog';
import {
  createLogger,
  createQueueBackend,
  JobQueue,
  OBJECT_STORAGE,
  PlatformModule,
  putContentAddressed,
  WorkerHost,
  type ObjectStorage,
} from '@lesionlab/platform';
import { testConfig, uniqueName } from '@lesionlab/platform/testing';
import type { SweepOrphansResult } from '../src/system/sweep-orphans.job';
import { freePort } from './free-port';

const ROOT = path.resolve(__dirname, '../../..');
const SIDE = 32;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

function startChild(command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  let output = '';
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { process: child, output: () => output, exited };
}

async function startWorker(env: NodeJS.ProcessEnv): Promise<Child> {
  const worker = startChild(process.execPath, ['-r', './infra/scripts/register.js', 'apps/worker/src/main.ts'], env);
  await until('the worker to start', () => {
    if (worker.process.exitCode !== null) throw new Error(`the worker exited:\n${worker.output()}`);
    return worker.output().includes('worker ready') ? true : undefined;
  }, 60_000);
  return worker;
}

/** Distinct greyscale PNGs (random noise) named vol_001_<i>.png: one patient, one series. */
async function writePngs(folder: string, count: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    await sharp(randomBytes(SIDE * SIDE), { raw: { width: SIDE, height: SIDE, channels: 1 } })
      .png()
      .toFile(path.join(folder, `vol_001_${i}.png`));
  }
}

export interface SigkillImportOptions {
  /** A fresh database (migrated or not: the worker migrates it). */
  databaseUrl: string;
  files: number;
  /** `stalled`: wait for the queue to hand the killed job to the new worker; `rerun`: enqueue the import again. */
  recover: 'stalled' | 'rerun';
  recoverTimeoutMs: number;
}

/**
 * SIGKILL of the worker process while it imports a folder of PNGs, a new worker finishing the import,
 * then the sweep job: exact slice and blob counts, every row's object present, no object without a row.
 */
export async function sigkillDuringImport(options: SigkillImportOptions) {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lesionlab-fault-import-'));
  const folder = path.join(home, 'imports', 'pngs');
  await writePngs(folder, options.files);
  const config = testConfig({ DATABASE_URL: options.databaseUrl, LESIONLAB_HOME: home });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: options.databaseUrl,
    LESIONLAB_HOME: home,
    QUEUE_BACKEND: 'postgres',
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    SIGNING_SECRET: config.SIGNING_SECRET,
    WORKER_QUEUES: 'import,system',
    WORKER_HEALTH_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  };
  let worker = await startWorker(env);
  @Module({ imports: [PlatformModule.forRoot(config), CatalogModule] })
  class ProbeModule {}
  const app = await NestFactory.createApplicationContext(ProbeModule, { logger: false });
  const db = app.get(DataSource);
  const storage = app.get<ObjectStorage>(OBJECT_STORAGE);
  const jobs = app.get(JobQueue);
  const count = async (sql: string): Promise<number> => Number((await db.query(sql))[0].n);
  const objectKeys = async () => {
    const keys: string[] = [];
    for await (const object of storage.list('blobs/')) keys.push(object.key);
    return keys;
  };
  const orphans = async () => {
    const rows = new Set<string>((await db.query('SELECT storage_key FROM blobs')).map((r: { storage_key: string }) => r.storage_key));
    return (await objectKeys()).filter((key) => !rows.has(key)).length;
  };
  const sweep = async (graceSeconds: number) => {
    const job = await jobs.enqueue('storage.sweep-orphans', { graceSeconds }, { attempts: 1 });
    const done = await jobs.waitFor('system', job.id, 30_000);
    if (done.state !== 'completed') throw new Error(`the sweep failed: ${done.failedReason}`);
    return done.result as SweepOrphansResult;
  };
  try {
    const started = await app.get(ImportsService).start({ format: 'images', source: { kind: 'path', path: folder }, options: { maskThreshold: 1 } });
    // Kill inside the crash window when we can: some slices committed, and blobs of the next batch
    // written whose rows are not (yet). If that window is not seen within 15 s, or the import is half
    // done (on a loaded machine one probe, which lists every object, can take as long as a batch), kill
    // anyway, so the kill still lands mid-import.
    const firstSeenSlices = await until('the first slices to be committed', async () => {
      const n = await count('SELECT count(*) AS n FROM slices');
      return n > 0 ? n : undefined;
    }, 120_000, 25);
    const inWindow = await until('blobs written ahead of their rows', async () => {
      const ahead = (await objectKeys()).length > (await count('SELECT count(*) AS n FROM blobs'));
      return ahead ? true : (await count('SELECT count(*) AS n FROM slices')) >= options.files / 2 ? false : undefined;
    }, 15_000, 25).catch(() => false);
    worker.process.kill('SIGKILL');
    await worker.exited;
    const atKill = {
      slices: await count('SELECT count(*) AS n FROM slices'),
      blobRows: await count('SELECT count(*) AS n FROM blobs'),
      blobObjects: (await objectKeys()).length,
      importStatus: (await db.query('SELECT status FROM imports WHERE id = $1', [started.id]))[0]?.status,
    };

    worker = await startWorker(env);
    const recoverStarted = Date.now();
    const jobId = options.recover === 'stalled' ? started.jobId! : (await jobs.enqueue('catalog.import', { importId: started.id }, { jobId: `import-${started.id}-rerun`, attempts: 1 })).id;
    const finished = await jobs.waitFor('import', jobId, options.recoverTimeoutMs, 250);
    const recoveredInMs = Date.now() - recoverStarted;

    const slices = await count('SELECT count(*) AS n FROM slices');
    const distinctPixels = await count('SELECT count(DISTINCT pixel_blob) AS n FROM slices');
    const distinctThumbnails = await count('SELECT count(DISTINCT thumbnail_blob) AS n FROM slices');
    const distinctOriginals = await count('SELECT count(DISTINCT original_blob) AS n FROM slices');
    const distinctReferenced = await count(`SELECT count(*) AS n FROM (SELECT pixel_blob FROM slices UNION SELECT thumbnail_blob FROM slices WHERE thumbnail_blob IS NOT NULL UNION SELECT original_blob FROM slices WHERE original_blob IS NOT NULL) b`);
    const blobRows = await count('SELECT count(*) AS n FROM blobs');
    const keys: Array<{ storage_key: string }> = await db.query('SELECT storage_key FROM blobs');
    let rowsWithoutObject = 0;
    for (const { storage_key } of keys) if (!(await storage.exists(storage_key))) rowsWithoutObject++;
    const orphansBeforeSweep = await orphans();

    // A stand-in for what a crash can leave that no re-run adopts (content that is not imported
    // again): an object under blobs/ with no row. A young one must survive the default grace period.
    const planted = await putContentAddressed(storage, randomBytes(256));
    const defaultGraceSweep = await sweep(24 * 3600);
    const plantedSurvivedGrace = await storage.exists(planted.key);
    const graceZeroSweep = await sweep(0);
    const orphansAfterSweep = await orphans();
    const objectsAfterSweep = (await objectKeys()).length;

    // Per distinct PNG: its pixels (re-encoded), a thumbnail and the original file (kept because the
    // stored pixels are not its bytes).
    const expectedBlobs = 3 * options.files;
    const result = {
      files: options.files,
      recover: options.recover,
      atKill: { ...atKill, firstSeenSlices, killedWithBlobsAheadOfRows: inWindow },
      recovery: { jobId, state: finished.state, attemptsMade: finished.attemptsMade, recoveredInMs },
      after: { slices, distinctPixels, distinctThumbnails, distinctOriginals, distinctReferenced, blobRows, expectedBlobs, rowsWithoutObject, orphansBeforeSweep },
      sweeps: { defaultGrace: defaultGraceSweep, plantedSurvivedGrace, graceZero: graceZeroSweep, orphansAfterSweep, objectsAfterSweep },
      proved:
        atKill.slices > 0 &&
        atKill.slices < options.files &&
        finished.state === 'completed' &&
        slices === options.files &&
        distinctPixels === options.files &&
        distinctThumbnails === options.files &&
        distinctOriginals === options.files &&
        blobRows === expectedBlobs &&
        distinctReferenced === expectedBlobs &&
        rowsWithoutObject === 0 &&
        defaultGraceSweep.deleted === 0 &&
        plantedSurvivedGrace &&
        graceZeroSweep.deleted === orphansBeforeSweep + 1 &&
        orphansAfterSweep === 0 &&
        objectsAfterSweep === blobRows,
    };
    return result;
  } finally {
    worker.process.kill('SIGKILL');
    await worker.exited;
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
}

export interface RedisRestartOptions {
  jobs: number;
  /** How long each job's handler works. */
  handlerMs: number;
  /** How long Redis stays down. */
  downMs: number;
}

/**
 * A private redis-server (AOF on, like production) restarted while a WorkerHost works through N
 * queued jobs: every job completes, each handled exactly once.
 */
export async function redisRestartDuringJobs(options: RedisRestartOptions) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lesionlab-fault-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir];
  const startRedis = async () => {
    const server = startChild('redis-server', args, { PATH: process.env.PATH });
    await until('redis-server to accept connections', () => (server.output().includes('Ready to accept connections') ? true : undefined), 20_000, 50);
    return server;
  };
  let redis = await startRedis();
  const backend = createQueueBackend({ kind: 'redis', prefix: uniqueName('fault').toLowerCase(), redisUrl: `redis://127.0.0.1:${port}`, databaseUrl: 'postgres://unused' });
  const handled = new Map<string, number>();
  const host = new WorkerHost(
    backend,
    new Map([
      [
        'system.ping',
        {
          name: 'system.ping',
          queue: 'system' as const,
          concurrency: 2,
          source: 'fault.countingPing',
          handle: async (payload: unknown) => {
            await sleep(options.handlerMs);
            const key = (payload as { sentAt: string }).sentAt;
            handled.set(key, (handled.get(key) ?? 0) + 1);
            return { handled: key };
          },
        },
      ],
    ]),
    createLogger('fault', 'silent'),
  );
  const jobs = new JobQueue(backend);
  jobs.queue('system').on('error', () => undefined); // refused connections while Redis is down are the point
  try {
    const base = Date.UTC(2026, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < options.jobs; i++) ids.push((await jobs.enqueue('system.ping', { sentAt: new Date(base + i * 1000).toISOString() }, { jobId: `restart-${i}`, attempts: 3 })).id);
    await host.start();
    await until('a third of the jobs to be handled', () => (handled.size >= options.jobs / 3 ? true : undefined), 60_000, 20);
    const handledBeforeStop = handled.size;
    redis.process.kill('SIGTERM');
    await redis.exited;
    const stoppedAt = Date.now();
    await sleep(options.downMs);
    const handledWhileDown = handled.size - handledBeforeStop;
    redis = await startRedis();
    const downMs = Date.now() - stoppedAt;
    const states = await until('every job to finish', async () => {
      const all = await Promise.all(ids.map((id) => jobs.get('system', id).catch(() => null)));
      return all.every((s) => s && (s.state === 'completed' || s.state === 'failed')) ? all : undefined;
    }, 60_000, 250);
    await sleep(1000); // a duplicate run would show up in the counts by now
    const counts = [...handled.values()];
    const result = {
      jobs: options.jobs,
      handlerMs: options.handlerMs,
      handledBeforeStop,
      handledWhileDown,
      redisDownMs: downMs,
      completed: states.filter((s) => s!.state === 'completed').length,
      failed: states.filter((s) => s!.state === 'failed').length,
      retried: states.filter((s) => s!.attemptsMade > 1).length,
      distinctHandled: handled.size,
      handledTwice: counts.filter((n) => n > 1).length,
      proved: false,
    };
    result.proved = result.completed === options.jobs && result.distinctHandled === options.jobs && result.handledTwice === 0 && handledBeforeStop < options.jobs;
    return result;
  } finally {
    await host.stop(2000);
    await jobs.close();
    redis.process.kill('SIGTERM');
    await redis.exited;
    await rm(dir, { recursive: true, force: true });
  }
}
