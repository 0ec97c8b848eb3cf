// Proof: SIGKILL of the worker process mid-import, the queue hands the killed job to a new worker
// (stalled-job recovery, no re-run by hand), then the storage.sweep-orphans job. Runs on a fresh
// database of the PRIVATE PostgreSQL that bench/faults.ts started.
import { withScratchDatabase } from './scratch';
import { sigkillDuringImport } from '../../apps/worker/test/fault-scenarios';

export async function proveSigkillDuringImport(adminUrl: string) {
  // Stalled-job recovery waits out the killed worker's lock (30 s) and the stall check (30 s).
  return withScratchDatabase((databaseUrl) => sigkillDuringImport({ databaseUrl, files: 1200, recover: 'stalled', recoverTimeoutMs: 240_000 }), adminUrl);
}
