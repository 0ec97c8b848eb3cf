import { Queue, Worker, withBackend, createPostgresBackend, type Processor, type RedisOptions, type WorkerOptions } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
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
  /** Throws with the reason when the backend does not answer; reuses one connection across calls. */
  ping(): Promise<void>;
  /** Closes the ping connection (Nest calls it on shutdown; other owners call it themselves). */
  onModuleDestroy(): Promise<void>;
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

  private pinger: IORedis | null = null;
  private lastPingError: Error | undefined;

  async ping(): Promise<void> {
    const client = (this.pinger ??= this.openPinger());
    try {
      if (client.status === 'wait') await client.connect();
      await client.ping();
    } catch (error) {
      const cause = this.lastPingError ?? (error as Error);
      throw new Error(`Redis at ${maskCredentials(this.settings.redisUrl)} does not answer: ${cause.message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.pinger?.disconnect();
    this.pinger = null;
  }

  /** One connection for every ping: it reconnects in the background, and a ping fails at once while it is down. */
  private openPinger(): IORedis {
    const client = new IORedis(this.settings.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 3000,
      connectionName: 'lesionlab-health',
      retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
    });
    client.on('error', (error: Error) => {
      this.lastPingError = error;
    });
    client.on('ready', () => {
      this.lastPingError = undefined;
    });
    return client;
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

  /** One pooled connection for every ping, closed after a minute unused. */
  private pinger: Pool | null = null;

  async ping(): Promise<void> {
    this.pinger ??= new Pool({ connectionString: this.settings.databaseUrl, max: 1, connectionTimeoutMillis: 3000, idleTimeoutMillis: 60_000, allowExitOnIdle: true }).on('error', () => {
      // an idle connection that dies (database restarted) is dropped by the pool; the next ping reconnects
    });
    await this.pinger.query('SELECT 1');
  }

  async onModuleDestroy(): Promise<void> {
    await this.pinger?.end();
    this.pinger = null;
  }
}

export function createQueueBackend(settings: QueueBackendSettings): QueueBackend {
  if (settings.kind === 'redis') {
    if (!settings.redisUrl) throw new Error('REDIS_URL is required when QUEUE_BACKEND=redis');
    return new RedisQueueBackend({ ...settings, redisUrl: settings.redisUrl });
  }
  return new PostgresQueueBackend(settings);
}
