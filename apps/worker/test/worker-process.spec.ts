import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createQueueBackend, JobQueue, runWithLogContext } from '@lesionlab/platform';
import { createTestDatabase, testServices, uniqueName, type TestDatabase } from '@lesionlab/platform/testing';
import { freePort } from './free-port';

const ROOT = path.resolve(__dirname, '../../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWorker(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['-r', './infra/scripts/register.js', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, SIGNING_SECRET: 'worker-test-secret-0123456789abcdef', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(['postgres', 'redis'] as const)('the worker process (%s queue)', (backendKind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  it('migrates, serves the catalogued jobs, reports health, and exits cleanly on SIGTERM', async () => {
    const prefix = uniqueName('w').toLowerCase();
    const port = String(await freePort());
    const env = {
      DATABASE_URL: database.url,
      QUEUE_BACKEND: backendKind,
      REDIS_URL: testServices().redisUrl,
      QUEUE_PREFIX: prefix,
      WORKER_HEALTH_PORT: port,
      LESIONLAB_HOME: path.join('/tmp', prefix),
    };
    const worker = startWorker(env);
    try {
      await waitFor(() => worker.output().includes('worker ready'), 'the worker to start').catch((error: Error) => {
        throw new Error(`${error.message}; its output:\n${worker.output().slice(-3000)}`);
      });
      const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
      expect(health).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, queue: { status: 'up', backend: backendKind } } });
      expect(health.worker.queues).toContain('system');

      const jobs = new JobQueue(createQueueBackend({ kind: backendKind, prefix, redisUrl: env.REDIS_URL, databaseUrl: database.url }));
      try {
        const requestId = uniqueName('req');
        const job = await runWithLogContext({ requestId }, () => jobs.enqueue('system.ping', { sentAt: new Date().toISOString() }));
        const done = await jobs.waitFor('system', job.id, 20000);
        expect(done.state).toBe('completed');
        expect(done.result).toMatchObject({ worker: expect.stringContaining(String(worker.child.pid)) });
        await waitFor(() => worker.output().includes('job completed'), 'the completion log line');
        const line = JSON.parse(worker.output().split('\n').find((l) => l.includes('job completed'))!);
        expect(line).toMatchObject({ requestId, jobId: job.id, jobName: 'system.ping', service: 'worker' });
      } finally {
        await jobs.close();
      }

      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toContain('worker stopped');
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});

describe('worker start-up', () => {
  it('stops with a message naming a bad setting', async () => {
    const worker = startWorker({ DATABASE_URL: 'postgres://127.0.0.1/x', QUEUE_BACKEND: 'rabbit' });
    expect(await worker.exited).toBe(78);
    expect(worker.output()).toContain(`QUEUE_BACKEND: expected 'postgres' or 'redis' (got "rabbit")`);
  });

  it('stops with a message naming DATABASE_URL when the database cannot be reached', async () => {
    const worker = startWorker({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('Cannot connect to the database at DATABASE_URL=postgres://nobody@127.0.0.1:1/none');
  });
});
