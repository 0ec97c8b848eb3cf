import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import type { Job, Queue } from 'bullmq';
import { DomainError } from '@lesionlab/contracts';
import { createTestDatabase, testServices, uniqueName, type TestDatabase } from '../../testing';
import { createLogger } from '../logging/logger';
import type { JobContext } from './job-context';
import { JobQueue, InvalidJobError } from './job-queue';
import type { RegisteredHandler } from './job-registry';
import { createQueueBackend, type QueueBackend } from './queue-backend';
import { WorkerHost, type WorkerHostOptions } from './worker-host';

const ROOT = path.resolve(__dirname, '../../../..');
const logger = createLogger('test', 'silent');

type Handle = (payload: unknown, context: JobContext) => Promise<unknown>;

function handler(name: string, handle: Handle, concurrency = 1): RegisteredHandler {
  return { name, queue: 'system', concurrency, handle, source: `test.${name}` };
}

async function waitUntilFinished(queue: Queue, id: string, timeoutMs = 30000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(id);
    const job = await queue.getJob(id); // read after the state, so a finished job comes with its result
    if (job && (state === 'completed' || state === 'failed')) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(['redis', 'postgres'] as const)('%s queue backend', (kind) => {
  let database: TestDatabase;
  let backend: QueueBackend;
  let prefix: string;
  const hosts: WorkerHost[] = [];
  const queues: Queue[] = [];
  let queue: Queue;

  // Default lock duration (30 s): a busy machine must not make a healthy job look stalled. Only the
  // recovery test checks for stalled jobs often.
  function startHost(handlers: RegisteredHandler[], catalog: Record<string, { payload: z.ZodType }> = {}, tuning: WorkerHostOptions['tuning'] = {}) {
    const host = new WorkerHost(backend, new Map(handlers.map((h) => [h.name, h])), logger, { catalog, tuning });
    hosts.push(host);
    return host.start().then(() => host);
  }

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    prefix = uniqueName('q').toLowerCase();
    backend = createQueueBackend({ kind, prefix, redisUrl: testServices().redisUrl, databaseUrl: database.url });
    queue = backend.openQueue('system');
    queues.push(queue);
  });

  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.stop(1000)));
  });

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await backend.onModuleDestroy();
    await database.drop();
  });

  it('answers a ping', async () => {
    await expect(backend.ping()).resolves.toBeUndefined();
  });

  it('runs a job, records its progress and returns its result', async () => {
    const seen: unknown[] = [];
    await startHost([
      handler('test.double', async (payload, context) => {
        await context.updateProgress(50);
        await context.updateProgress({ done: 1, total: 1 });
        seen.push(payload);
        return { doubled: (payload as { n: number }).n * 2 };
      }),
    ]);
    const job = await queue.add('test.double', { n: 21 }, { jobId: uniqueName('double') });
    const finished = await waitUntilFinished(queue, job.id!);
    expect(await finished.getState()).toBe('completed');
    expect(finished.returnvalue).toEqual({ doubled: 42 });
    expect(finished.progress).toEqual({ done: 1, total: 1 });
    expect(seen).toEqual([{ n: 21 }]);
  });

  it('retries a failing job with exponential backoff until it succeeds', async () => {
    const attempts: Array<{ attempt: number; at: number }> = [];
    await startHost([
      handler('test.flaky', async (_payload, context) => {
        attempts.push({ attempt: context.attempt, at: Date.now() });
        if (context.attempt < 3) throw new Error(`transient failure ${context.attempt}`);
        return 'ok';
      }),
    ]);
    const job = await queue.add('test.flaky', {}, { attempts: 3, backoff: { type: 'exponential', delay: 200 } });
    const finished = await waitUntilFinished(queue, job.id!);
    expect(await finished.getState()).toBe('completed');
    expect(finished.attemptsMade).toBe(3);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // exponential: ~200 ms before the 2nd try, ~400 ms before the 3rd
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(180);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(380);
  });

  it('gives up after the last attempt and keeps the reason', async () => {
    await startHost([handler('test.broken', async () => Promise.reject(new Error('the source file is corrupt')))]);
    const job = await queue.add('test.broken', {}, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    const finished = await waitUntilFinished(queue, job.id!);
    expect(await finished.getState()).toBe('failed');
    expect(finished.attemptsMade).toBe(2);
    expect(finished.failedReason).toBe('the source file is corrupt');
  });

  it('uses the job id for idempotency: the same id twice makes one job, run once', async () => {
    let runs = 0;
    await startHost([
      handler('test.once', async () => {
        runs++;
        return runs;
      }),
    ]);
    const jobId = uniqueName('import-abc');
    const first = await queue.add('test.once', { a: 1 }, { jobId });
    const second = await queue.add('test.once', { a: 2 }, { jobId });
    expect(second.id).toBe(first.id);
    const finished = await waitUntilFinished(queue, jobId);
    expect(finished.returnvalue).toBe(1);
    await queue.add('test.once', { a: 3 }, { jobId });
    await new Promise((r) => setTimeout(r, 500));
    expect(runs).toBe(1);
    expect(await queue.getJobCountByTypes('waiting', 'active', 'delayed')).toBe(0);
  });

  it('fails a job whose payload breaks its schema at once, naming the field, without retrying', async () => {
    let runs = 0;
    await startHost(
      [
        handler('test.typed', async () => {
          runs++;
        }),
      ],
      { 'test.typed': { payload: z.object({ sliceCount: z.number().int() }) } },
    );
    const job = await queue.add('test.typed', { sliceCount: 'many' }, { attempts: 5 });
    const finished = await waitUntilFinished(queue, job.id!);
    expect(await finished.getState()).toBe('failed');
    expect(finished.attemptsMade).toBe(1);
    expect(finished.failedReason).toMatch(/Invalid payload for job "test.typed"/);
    expect(runs).toBe(0);
  });

  it('fails a job that throws an invalid DomainError at once, keeping its detail, and retries an unavailable one', async () => {
    const runs = { invalid: 0, unavailable: 0 };
    await startHost([
      handler('test.refused', async () => {
        runs.invalid++;
        throw new DomainError('invalid', 'the release has no test split', { field: 'split' });
      }),
      handler('test.down', async () => {
        runs.unavailable++;
        throw new DomainError('unavailable', 'object storage did not answer');
      }),
    ]);
    const refused = await waitUntilFinished(queue, (await queue.add('test.refused', {}, { attempts: 5, backoff: { type: 'fixed', delay: 50 } })).id!);
    expect(await refused.getState()).toBe('failed');
    expect(refused.attemptsMade).toBe(1);
    expect(refused.failedReason).toBe('split: the release has no test split');
    expect(runs.invalid).toBe(1);
    const down = await waitUntilFinished(queue, (await queue.add('test.down', {}, { attempts: 2, backoff: { type: 'fixed', delay: 50 } })).id!);
    expect(down.attemptsMade).toBe(2);
    expect(runs.unavailable).toBe(2);
  });

  it('hands a job whose worker was killed to another worker (stalled-job recovery)', async () => {
    const name = 'test.stall';
    const child: ChildProcess = spawn(process.execPath, ['-r', './infra/scripts/register.js', 'libs/platform/src/queue/stalling-worker.fixture.ts'], {
      cwd: ROOT,
      env: { ...process.env, KIND: kind, PREFIX: prefix, REDIS_URL: testServices().redisUrl, DATABASE_URL: database.url, JOB_NAME: name, QUEUE: 'system' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const match = /started (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`fixture worker exited early (${code})`)));
    });
    const job = await queue.add(name, { slice: 7 }, { attempts: 1 });
    expect(await started).toBe(job.id);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const recoveredBy: unknown[] = [];
    await startHost(
      [
        handler(name, async (payload) => {
          recoveredBy.push(payload);
          return 'finished after recovery';
        }),
      ],
      {},
      { stalledInterval: 1000 },
    );
    const finished = await waitUntilFinished(queue, job.id!, 45000);
    expect(await finished.getState()).toBe('completed');
    expect(finished.returnvalue).toBe('finished after recovery');
    expect(recoveredBy).toEqual([{ slice: 7 }]);
  });

  it('enqueues catalogued jobs through JobQueue, checking the payload first', async () => {
    const jobs = new JobQueue(backend);
    try {
      await expect(jobs.enqueue('system.ping', { sentAt: 'yesterday' } as never)).rejects.toThrow(InvalidJobError);
      await expect(jobs.enqueue('system.ping', { sentAt: new Date().toISOString() }, { jobId: 'bad:id' })).rejects.toThrow(/job id/);
      await startHost([handler('system.ping', async (payload) => ({ echoed: payload }))]);
      const state = await jobs.enqueue('system.ping', { sentAt: '2026-11-26T10:00:00.000Z' }, { jobId: uniqueName('ping') });
      const done = await jobs.waitFor('system', state.id, 20000);
      expect(done).toMatchObject({ state: 'completed', name: 'system.ping', result: { echoed: { sentAt: '2026-11-26T10:00:00.000Z' } } });
    } finally {
      await jobs.close();
    }
  });
});
