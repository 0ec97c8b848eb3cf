import { NestFactory } from '@nestjs/core';
import { QUEUE_NAMES } from '@lesionlab/contracts';
import {
  JobRegistry,
  migrateDatabase,
  NestPinoLogger,
  PlatformHealth,
  QUEUE_BACKEND,
  startService,
  validateHandlers,
  WorkerHost,
  type QueueBackend,
} from '@lesionlab/platform';
import { withGpuSlots } from './gpu-slots';
import { startHealthServer } from './health-server';
import { WorkerModule } from './worker.module';

void startService('worker', async (config, logger) => {
  const applied = await migrateDatabase(config.DATABASE_URL);
  if (applied.length) logger.info({ applied }, 'database migrated');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new NestPinoLogger(logger) });
  const handlers = withGpuSlots(validateHandlers(app.get(JobRegistry).discover()), config.GPU_SLOTS);
  const queues = config.WORKER_QUEUES ? config.WORKER_QUEUES.split(',').map((q) => q.trim()) : [...QUEUE_NAMES];
  const host = new WorkerHost(app.get<QueueBackend>(QUEUE_BACKEND), handlers, logger, { queues });
  await host.start();
  const health = app.get(PlatformHealth);
  const server = await startHealthServer(config.WORKER_HEALTH_PORT, async () => ({ ...(await health.report()), worker: host.getStats() }));
  logger.info({ queues, health: `http://localhost:${config.WORKER_HEALTH_PORT}/health` }, 'worker ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceSeconds: config.SHUTDOWN_GRACE_S }, 'stopping: no new jobs, letting running ones finish');
    await host.stop(config.SHUTDOWN_GRACE_S * 1000);
    server.close();
    await app.close();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
});
