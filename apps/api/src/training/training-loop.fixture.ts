import type { INestApplication } from '@nestjs/common';
import path from 'node:path';
import request from 'supertest';
import { JOB_CATALOG } from '@lesionlab/contracts';
import { createLogger, QUEUE_BACKEND, WorkerHost, type QueueBackend, type RegisteredHandler } from '@lesionlab/platform';
import { EvaluateModelJob, PredictSlicesJob, TrainRunJob } from '@lesionlab/training';

/** The repository root (where apps/trainer/.venv lives). */
export const ROOT = path.resolve(__dirname, '../../../..');
export const TRAINER_PYTHON = path.join(ROOT, 'apps/trainer/.venv/bin/python');

type JobName = keyof typeof JOB_CATALOG;

/** A worker in this process serving the given jobs with the app's own handlers (stop it after each test). */
export async function startJobWorker(app: INestApplication, jobs: Partial<Record<JobName, { handle: RegisteredHandler['handle'] }>>): Promise<WorkerHost> {
  const handlers = Object.entries(jobs).map(([name, instance]): [string, RegisteredHandler] => [
    name,
    { name, queue: JOB_CATALOG[name as JobName].queue, source: name, handle: instance.handle.bind(instance) },
  ]);
  const worker = new WorkerHost(app.get<QueueBackend>(QUEUE_BACKEND), new Map(handlers), createLogger('test', 'silent'), { tuning: { stalledInterval: 1000 } });
  await worker.start();
  return worker;
}

/** A worker in this process serving the app's train, evaluate and predict jobs. */
export function startTrainingWorker(app: INestApplication): Promise<WorkerHost> {
  return startJobWorker(app, { 'training.train': app.get(TrainRunJob), 'training.evaluate': app.get(EvaluateModelJob), 'training.predict': app.get(PredictSlicesJob) });
}

/** Calls `fetch` every 200 ms until `done` holds; fails with the last value after `timeoutMs`. */
export async function waitFor<T>(fetch: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 90000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fetch();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An authenticated supertest agent of the app (`request.agent(server).set(auth)`). */
type Http = () => ReturnType<typeof request.agent>;

const ENDED = (status: string) => !['queued', 'running'].includes(status);

/** The run once it has ended (succeeded, failed or cancelled). */
export function runFinished(http: Http, id: string, timeoutMs?: number) {
  return waitFor(() => http().get(`/api/runs/${id}`).then((r) => r.body), (b) => ENDED(b.status), `run ${id} to finish`, timeoutMs);
}

/** An evaluation or prediction batch once it has ended. */
export function jobFinished(http: Http, url: string, timeoutMs?: number) {
  return waitFor(() => http().get(url).then((r) => r.body), (b) => ENDED(b.status), url, timeoutMs);
}
