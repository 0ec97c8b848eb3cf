// Proof: SIGKILL of the worker process mid-import, the queue hands the killed job to a new worker
// (stalled-job recovery, no re-run by hand), then the storage.sweep-orphans job. Runs on a fresh
// database of the PRIVATE PostgreSQL that bench/faults.ts started.
import { Client } from 'pg';
import { uniqueName } from '../../libs/platform/testing';
import { sigkillDuringImport } from '../../apps/worker/test/fault-scenarios';

export async function proveSigkillDuringImport(adminUrl: string) {
  const name = uniqueName('llfaultimport');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    // Stalled-job recovery waits out the killed worker's lock (30 s) and the stall check (30 s).
    return await sigkillDuringImport({ databaseUrl: url.toString(), files: 600, recover: 'stalled', recoverTimeoutMs: 240_000 });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
