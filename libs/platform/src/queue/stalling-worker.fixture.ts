// A worker process for the stalled-job test: it takes one job, says so on stdout, and never finishes.
// The test kills it with SIGKILL and checks that another worker recovers the job.
import { createLogger } from '../logging/logger';
import { createQueueBackend } from './queue-backend';
import { WorkerHost } from './worker-host';

const { KIND, PREFIX, REDIS_URL, DATABASE_URL, JOB_NAME, QUEUE } = process.env as Record<string, string>;
const backend = createQueueBackend({ kind: KIND as 'redis' | 'postgres', prefix: PREFIX, redisUrl: REDIS_URL, databaseUrl: DATABASE_URL });
const handler = {
  name: JOB_NAME,
  queue: QUEUE as 'system',
  source: 'fixture',
  handle: async (_payload: unknown, context: { id: string }) => {
    process.stdout.write(`started ${context.id}\n`);
    await new Promise(() => undefined);
  },
};
const host = new WorkerHost(backend, new Map([[JOB_NAME, handler]]), createLogger('fixture', 'silent'), {
  catalog: {},
  tuning: { lockDuration: 2000, stalledInterval: 1000 },
});
void host.start();
