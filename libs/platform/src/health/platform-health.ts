import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import type { ObjectStorage } from '../storage/object-storage';
import { OBJECT_STORAGE } from '../storage/storage.module';
import type { QueueBackend } from '../queue/queue-backend';
import { QUEUE_BACKEND } from '../queue/queue.tokens';

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Database, queue and storage checks in the NestJS terminus shape, shared by the api and the worker. */
@Injectable()
export class PlatformHealth {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queue: QueueBackend,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  /** Resolves with the report whether healthy or not; `status` tells which. */
  async report(extra: Array<() => Promise<HealthIndicatorResult>> = []): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database(), () => this.queueBackend(), () => this.objectStorage(), ...extra]);
    } catch (error) {
      const response = (error as { getResponse?: () => unknown }).getResponse?.();
      if (response && typeof response === 'object' && 'details' in response) return response as HealthCheckResult;
      throw error;
    }
  }

  private async probe(key: string, work: () => Promise<Record<string, unknown>>): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const started = Date.now();
    try {
      const details = await withTimeout(work(), key);
      return session.up({ ...details, latencyMs: Date.now() - started });
    } catch (error) {
      return session.down({ message: reason(error) });
    }
  }

  private database() {
    return this.probe('database', async () => {
      await this.dataSource.query('SELECT 1');
      return {};
    });
  }

  private queueBackend() {
    return this.probe('queue', async () => {
      await this.queue.ping();
      return { backend: this.queue.kind };
    });
  }

  private objectStorage() {
    return this.probe('storage', async () => {
      await this.storage.ping();
      return { driver: this.storage.driver };
    });
  }
}
