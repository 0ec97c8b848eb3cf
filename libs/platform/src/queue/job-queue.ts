import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { JOB_CATALOG, type JobName, type JobPayload, type JobState } from '@lesionlab/contracts';
import { currentLogContext } from '../logging/log-context';
import { withJobMeta } from './job-meta';
import { QUEUE_BACKEND } from './queue.tokens';
import type { QueueBackend } from './queue-backend';

export interface EnqueueOptions {
  /** Makes the enqueue idempotent: a second job with the same id is not created. */
  jobId?: string;
  attempts?: number;
  backoffMs?: number;
  delayMs?: number;
  priority?: number;
}

export class InvalidJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobError';
  }
}

const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 5000 };
const KEEP_FAILED = { age: 30 * 24 * 3600 };

export function describeJob(job: Job, queue: string, state: string): JobState {
  const known = ['waiting', 'delayed', 'active', 'completed', 'failed'];
  return {
    id: String(job.id),
    name: job.name,
    queue,
    state: (known.includes(state) ? state : state === 'prioritized' || state === 'waiting-children' ? 'waiting' : 'unknown') as JobState['state'],
    progress: job.progress,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason ?? null,
    result: job.returnvalue ?? null,
    createdAt: job.timestamp ? new Date(job.timestamp).toISOString() : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** Enqueues catalogued jobs (payload checked against its schema) and reads their state back. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();
  private readonly logger = new Logger(JobQueue.name);

  constructor(@Inject(QUEUE_BACKEND) private readonly backend: QueueBackend) {}

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<JobState> {
    const definition = JOB_CATALOG[name];
    if (!definition) throw new InvalidJobError(`Unknown job "${name}"`);
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) {
      throw new InvalidJobError(`Invalid payload for job "${name}": ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    if (options.jobId !== undefined && !/^[A-Za-z0-9_.-]{1,200}$/.test(options.jobId)) {
      throw new InvalidJobError('A job id is 1–200 letters, digits, "_", "-" or "."');
    }
    const jobOptions: JobsOptions = {
      jobId: options.jobId,
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 2000 },
      delay: options.delayMs,
      priority: options.priority,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    };
    const queue = this.queue(definition.queue);
    const job = await queue.add(name, withJobMeta(parsed.data, { requestId: currentLogContext().requestId }), jobOptions);
    return describeJob(job, definition.queue, await job.getState());
  }

  async get(queueName: string, id: string): Promise<JobState | null> {
    const queue = this.queue(queueName);
    // State first, then the job: a job read first could finish in between and show as completed
    // without its result.
    const state = await queue.getJobState(id);
    const job = await queue.getJob(id);
    return job ? describeJob(job, queueName, state) : null;
  }

  /** Blocks until the job completes or fails, polling its state; for the CLI's --wait and tests. */
  async waitFor(queueName: string, id: string, timeoutMs: number, pollMs = 100): Promise<JobState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.get(queueName, id);
      if (state && (state.state === 'completed' || state.state === 'failed')) return state;
      if (Date.now() > deadline) throw new Error(`Job ${queueName}/${id} did not finish within ${timeoutMs} ms (state: ${state?.state ?? 'missing'})`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.backend.openQueue(name);
      // a lost connection is retried by the client; say so once per error instead of an unhandled event
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
