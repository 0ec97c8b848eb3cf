import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import os from 'node:os';
import { JOB_CATALOG, type JobDefinition } from '@lesionlab/contracts';
import { runWithLogContext } from '../logging/log-context';
import type { Logger } from '../logging/logger';
import type { JobContext } from './job-context';
import { toQueueFailure } from './job-failure';
import { splitJobMeta } from './job-meta';
import type { RegisteredHandler } from './job-registry';
import type { QueueBackend, WorkerTuning } from './queue-backend';

export interface WorkerHostOptions {
  /** Only these queues are served (a GPU worker serves train/evaluate/predict, say). */
  queues?: readonly string[];
  tuning?: Partial<Omit<WorkerTuning, 'concurrency'>>;
  catalog?: Record<string, Pick<JobDefinition, 'payload'>>;
}

export interface WorkerStats {
  host: string;
  queues: string[];
  active: number;
  completed: number;
  failed: number;
  startedAt: string;
}

/** Runs the registered handlers: one BullMQ worker per served queue. */
export class WorkerHost {
  private readonly workers: Worker[] = [];
  private readonly shutdown = new AbortController();
  private readonly stats: WorkerStats = { host: os.hostname(), queues: [], active: 0, completed: 0, failed: 0, startedAt: new Date().toISOString() };

  constructor(
    private readonly backend: QueueBackend,
    private readonly handlers: Map<string, RegisteredHandler>,
    private readonly logger: Logger,
    private readonly options: WorkerHostOptions = {},
  ) {}

  async start(): Promise<void> {
    const byQueue = new Map<string, RegisteredHandler[]>();
    for (const handler of this.handlers.values()) {
      if (this.options.queues && !this.options.queues.includes(handler.queue)) continue;
      byQueue.set(handler.queue, [...(byQueue.get(handler.queue) ?? []), handler]);
    }
    for (const [queue, handlers] of byQueue) {
      const concurrency = Math.max(...handlers.map((h) => h.concurrency ?? 1));
      const worker = this.backend.openWorker(queue, (job) => this.process(job), { concurrency, ...this.options.tuning });
      worker.on('failed', (job, error) => {
        this.logger.warn({ jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade, err: error.message }, 'job failed');
      });
      worker.on('error', (error) => this.logger.error({ queue, err: error.message }, 'queue worker error'));
      this.workers.push(worker);
      void worker.run();
      this.stats.queues.push(queue);
      this.logger.info({ queue, concurrency, jobs: handlers.map((h) => h.name) }, 'serving queue');
    }
  }

  getStats(): WorkerStats {
    return { ...this.stats, queues: [...this.stats.queues] };
  }

  /**
   * Stops taking jobs and lets running ones finish within the grace period; past it, running jobs
   * are told to stop (signal) and the workers close, so their jobs go back to the queue as stalled.
   */
  async stop(graceMs: number): Promise<void> {
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([closing.then(() => 'closed' as const), timer])) === 'timeout') {
      this.logger.warn({ active: this.stats.active }, 'grace period over: handing running jobs back');
      this.shutdown.abort();
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
  }

  private async process(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}" on this worker`);
    const catalog = this.options.catalog ?? JOB_CATALOG;
    const schema = (catalog as Record<string, Pick<JobDefinition, 'payload'>>)[job.name]?.payload;
    const { payload, meta } = splitJobMeta(job.data);
    const parsed = schema ? schema.safeParse(payload) : { success: true as const, data: payload };
    if (!parsed.success) {
      throw new UnrecoverableError(`Invalid payload for job "${job.name}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    const context: JobContext = {
      id: String(job.id),
      name: job.name,
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
      updateProgress: (progress) => job.updateProgress(progress),
      log: async (message) => {
        await job.log(message);
      },
      signal: this.shutdown.signal,
    };
    this.stats.active++;
    const started = Date.now();
    return runWithLogContext({ requestId: meta.requestId, jobId: context.id, jobName: job.name }, async () => {
      try {
        const result = await handler.handle(parsed.data, context);
        this.stats.completed++;
        this.logger.info({ attempt: context.attempt, ms: Date.now() - started }, 'job completed');
        return result;
      } catch (error) {
        this.stats.failed++;
        throw toQueueFailure(error);
      } finally {
        this.stats.active--;
      }
    });
  }
}
