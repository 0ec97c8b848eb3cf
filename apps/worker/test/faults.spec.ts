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
    const result = await sigkillDuringImport({ databaseUrl: database.url, files: 400, recover: 'rerun', recoverTimeoutMs: 45_000 });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    expect(result.atKill.slices).toBeGreaterThan(0);
    expect(result.atKill.slices).toBeLessThan(400);
    expect(result.recovery.state).toBe('completed');
    expect(result.after).toMatchObject({ slices: 400, distinctPixels: 400, distinctThumbnails: 400, distinctOriginals: 400, blobRows: 1200, distinctReferenced: 1200, rowsWithoutObject: 0 });
    expect(result.sweeps).toMatchObject({ defaultGrace: { deleted: 0 }, plantedSurvivedGrace: true, orphansAfterSweep: 0, objectsAfterSweep: 1200 });
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
