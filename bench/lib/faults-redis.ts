// Proof: a PRIVATE redis-server (AOF on, own port and folder) stopped with SIGTERM and started again
// while a worker works through queued jobs: all complete, each handled exactly once.
import { redisRestartDuringJobs } from '../../apps/worker/test/fault-scenarios';

export function proveRedisRestart() {
  return redisRestartDuringJobs({ jobs: 100, handlerMs: 100, downMs: 3000 });
}
