import { Queue, Worker, withBackend, createPostgresBackend, type Processor, type RedisOptions, type WorkerOptions } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { maskCredentials, type Config } from '../config/load-settings';

export interface QueueBackendSettings {
  kind: 'redis' | 'postgres';
  prefix: string;
  redisUrl?: string;
  databaseUrl: string;
}

export interface WorkerTuning {
  concurrency: number;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
}

/**
 * The one interface over BullMQ's two backends: Redis (many machines) and PostgreSQL (embedded,
 * single machine). Everything above it — producers, the worker host, the tests — is backend-agnostic.
 */
export interface QueueBackend {
  readonly kind: 'redis' | 'postgres';
  openQueue(name: string): Queue;
  openWorker(name: string, processor: Processor, tuning: WorkerTuning): Worker;
  /** Throws with the reason when the backend does not answer. */
  ping(): Promise<void>;
}

export function queueBackendSettings(config: Config): QueueBackendSettings {
  return { kind: config.QUEUE_BACKEND, prefix: config.QUEUE_PREFIX, redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL };
}

class RedisQueueBackend implements QueueBackend {
  readonly kind = 'redis' as const;
  constructor(private readonly settings: QueueBackendSettings & { redisUrl: string }) {}

  /** Options rather than a client, so BullMQ owns each connection and closes it with its queue or worker. */
  private connection(forWorker: boolean): RedisOptions {
    return { url: this.settings.redisUrl, maxRetriesPerRequest: forWorker ? null : 3 };
  }

  openQueue(name: string): Queue {
    return new Queue(name, { connection: this.connection(false), prefix: this.settings.prefix });
  }

  openWorker(name: string, processor: Processor, tuning: WorkerTuning): Worker {
    const options: WorkerOptions = { connection: this.connection(true), prefix: this.settings.prefix, autorun: false, ...tuning };
    return new Worker(name, processor, options);
  }

  async ping(): Promise<void> {
    const client = new IORedis(this.settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
    let lastError: Error | undefined;
    client.on('error', (error: Error) => {
      lastError = error;
    });
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      const cause = lastError ?? (error as Error);
      throw new Error(`Redis at ${maskCredentials(this.settings.redisUrl)} does not answer: ${cause.message}`);
    } finally {
      client.disconnect();
    }
  }
}

class PostgresQueueBackend implements QueueBackend {
  readonly kind = 'postgres' as const;
  private readonly classes = withBackend(createPostgresBackend);
  constructor(private readonly settings: QueueBackendSettings) {}

  private connection() {
    return { connectionString: this.settings.databaseUrl, schema: `${this.settings.prefix}_queue`, migrate: true, max: 4 };
  }

  openQueue(name: string): Queue {
    return new this.classes.Queue(name, { connection: this.connection() }) as unknown as Queue;
  }

  openWorker(name: string, processor: Processor, tuning: WorkerTuning): Worker {
    return new this.classes.Worker(name, processor, { connection: this.connection(), autorun: false, ...tuning }) as unknown as Worker;
  }

  async ping(): Promise<void> {
    const client = new Client({ connectionString: this.settings.databaseUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export function createQueueBackend(settings: QueueBackendSettings): QueueBackend {
  if (settings.kind === 'redis') {
    if (!settings.redisUrl) throw new Error('REDIS_URL is required when QUEUE_BACKEND=redis');
    return new RedisQueueBackend({ ...settings, redisUrl: settings.redisUrl });
  }
  return new PostgresQueueBackend(settings);
}
