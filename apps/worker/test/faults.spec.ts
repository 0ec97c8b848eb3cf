import { createTestDatabase, type TestDatabase } from '@lesionlab/platform/testing';
import { redisRestartDuringJobs, sigkillDuringImport } from './fault-scenarios';

// Real processes and no tight timing: the figures are printed, the counts are asserted.
describe('faults (issue 9)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  it('SIGKILL of the worker mid-import, then a new worker: exact slice and blob counts, no orphan after the sweep', async () => {
    // Enough files that the kill lands mid-import even when imports run at a few hundred slices/s.
    const files = 1000;
    const result = await sigkillDuringImport({ databaseUrl: database.url, files, recover: 'rerun', recoverTimeoutMs: 45_000 });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    expect(result.atKill.slices).toBeGreaterThan(0);
    expect(result.atKill.slices).toBeLessThan(files);
    expect(result.recovery.state).toBe('completed');
    const blobs = 3 * files; // pixels, thumbnail and original of each
    expect(result.after).toMatchObject({ slices: files, distinctPixels: files, distinctThumbnails: files, distinctOriginals: files, blobRows: blobs, distinctReferenced: blobs, rowsWithoutObject: 0 });
    expect(result.sweeps).toMatchObject({ defaultGrace: { deleted: 0 }, plantedSurvivedGrace: true, orphansAfterSweep: 0, objectsAfterSweep: blobs });
    expect(result.sweeps.graceZero.deleted).toBe(result.after.orphansBeforeSweep + 1);
    expect(result.proved).toBe(true);
  }, 90_000);

  it('Redis restarted while queued jobs run: every job completes, each handled once', async () => {
    const result = await redisRestartDuringJobs({ jobs: 30, handlerMs: 200, downMs: 1500 });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    expect(result).toMatchObject({ completed: 30, failed: 0, distinctHandled: 30, handledTwice: 0 });
    expect(result.handledBeforeStop).toBeLessThan(30);
  }, 60_000);
});
