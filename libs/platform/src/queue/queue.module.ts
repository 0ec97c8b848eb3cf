import { Global, Module } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/load-settings';
import { JobQueue } from './job-queue';
import { createQueueBackend, queueBackendSettings } from './queue-backend';
import { QUEUE_BACKEND } from './queue.tokens';

@Global()
@Module({
  providers: [
    { provide: QUEUE_BACKEND, inject: [CONFIG], useFactory: (config: Config) => createQueueBackend(queueBackendSettings(config)) },
    JobQueue,
  ],
  exports: [QUEUE_BACKEND, JobQueue],
})
export class QueueModule {}
