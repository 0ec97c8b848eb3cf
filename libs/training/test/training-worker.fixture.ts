// A worker process for the resume test: the training jobs only, with a short job lock so that, once
// the test kills it with SIGKILL, another worker recovers its job within seconds.
import { Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { LabelsModule } from '@lesionlab/labels';
import { createLogger, JobRegistry, loadConfig, PlatformModule, QUEUE_BACKEND, validateHandlers, WorkerHost, type QueueBackend } from '@lesionlab/platform';
import { TrainingModule } from '../src/training.module';

async function main() {
  const config = loadConfig(process.env);
  @Module({ imports: [PlatformModule.forRoot(config), DiscoveryModule, LabelsModule, TrainingModule], providers: [JobRegistry] })
  class FixtureWorkerModule {}
  const app = await NestFactory.createApplicationContext(FixtureWorkerModule, { logger: false });
  const handlers = app.get(JobRegistry).discover().filter((h) => h.name.startsWith('training.'));
  const catalog = Object.fromEntries(handlers.map((h) => [h.name, { queue: h.queue }]));
  const host = new WorkerHost(app.get<QueueBackend>(QUEUE_BACKEND), validateHandlers(handlers, catalog), createLogger('fixture', 'silent'), {
    queues: ['train'],
    tuning: { lockDuration: 2000, stalledInterval: 1000 },
  });
  await host.start();
  process.stdout.write('worker ready\n');
}
void main();
