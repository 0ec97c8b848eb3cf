import type { ImportRun } from '@lesionlab/contracts';
import { importJobProgress } from './import-progress';

const STARTED = Date.parse('2026-12-06T08:00:00Z');
const run = (patch: Partial<ImportRun>): ImportRun => ({
  id: '00000000-0000-4000-8000-000000000001',
  format: 'manifest',
  source: 'fs:uploads/x/',
  options: {},
  status: 'running',
  found: 0,
  imported: 0,
  duplicates: 0,
  failed: 0,
  masks: 0,
  failures: [],
  timings: {},
  error: null,
  jobId: null,
  createdAt: '2026-12-06T07:59:59Z',
  startedAt: '2026-12-06T08:00:00Z',
  finishedAt: null,
  ...patch,
});

describe('importJobProgress', () => {
  it('has no fraction while queued or listing the source', () => {
    expect(importJobProgress(run({ status: 'queued', startedAt: null }), STARTED)).toMatchObject({ fraction: null, etaS: null });
    expect(importJobProgress(run({}), STARTED + 5000)).toMatchObject({ fraction: null, total: 0 });
  });

  it('counts imported, duplicate and failed files against what was found plus what failed, with an ETA at the rate so far', () => {
    const progress = importJobProgress(run({ found: 400, imported: 150, duplicates: 40, failed: 10 }), STARTED + 20_000);
    expect(progress).toMatchObject({ done: 200, total: 410 });
    expect(progress.fraction).toBeCloseTo(200 / 410);
    expect(progress.etaS).toBeCloseTo(21);
  });

  it('a finished import is whole', () => {
    expect(importJobProgress(run({ status: 'succeeded', found: 50, imported: 49, failed: 1 }), STARTED)).toMatchObject({ fraction: 1, etaS: 0 });
    expect(importJobProgress(run({ status: 'failed' }), STARTED)).toMatchObject({ fraction: 1 });
  });
});
