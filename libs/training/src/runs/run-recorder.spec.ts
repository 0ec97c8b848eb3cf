import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunMetric, RunProgress } from '@lesionlab/contracts';
import { FsObjectStorage, UrlSigner, type BlobRow } from '@lesionlab/platform';
import { parseTrainerLine, type TrainerEvent } from '../trainer/trainer-events';
import { RunRecorder } from './run-recorder';
import type { RunsRepository } from './runs.repository';

/** The trainer's real stdout (train, evaluate, predict on medseg-ct100, and a failed train), as events. */
const RECORDED: TrainerEvent[] = fs
  .readFileSync(path.join(__dirname, '../../test/trainer-output/events.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => parseTrainerLine(line)!);

/** What the recorder asked the runs repository to store, in order. */
class FakeRuns {
  metrics: Array<Omit<RunMetric, 'id'>> = [];
  progress: Array<{ progress: RunProgress; logTail: string[] }> = [];
  artifacts: Array<{ kind: string; name: string; blob: BlobRow; step: number | null }> = [];
  stageWrites = 0;
  async addMetrics(_runId: string, metrics: Array<Omit<RunMetric, 'id'>>) {
    this.metrics.push(...metrics);
  }
  async setProgress(_runId: string, progress: RunProgress, logTail: string[]) {
    this.progress.push({ progress, logTail: [...logTail] });
  }
  async addArtifact(_runId: string, kind: string, name: string, blob: BlobRow, step: number | null) {
    this.artifacts.push({ kind, name, blob, step });
  }
  async setStages() {
    this.stageWrites++;
  }
}

describe('RunRecorder replaying a recorded trainer stream', () => {
  let dir: string;
  let runs: FakeRuns;
  let jobProgress: Array<Record<string, unknown>>;
  let recorder: RunRecorder;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recorder-'));
    runs = new FakeRuns();
    jobProgress = [];
    const storage = new FsObjectStorage(path.join(dir, 'objects'), new UrlSigner('r'.repeat(32), 'http://localhost'), 60);
    recorder = new RunRecorder('run-1', runs as unknown as RunsRepository, storage, {
      updateProgress: async (progress: number | Record<string, unknown>) => {
        jobProgress.push(progress as Record<string, unknown>);
      },
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function replay(events: TrainerEvent[]) {
    for (const event of events) await recorder.handle(event);
  }

  it('stores every metric once, with the epoch of the progress before it, plus the throughput of each progress', async () => {
    await replay(RECORDED);
    let epoch: number | null = null;
    const expected = RECORDED.flatMap((e): Array<Omit<RunMetric, 'id'>> => {
      if (e.type === 'progress') {
        epoch = e.epoch;
        return [{ step: e.step, epoch: e.epoch, name: 'images_per_s', value: e.images_per_s, split: 'train' }];
      }
      return e.type === 'metric' ? [{ step: e.step ?? null, epoch, name: e.name, value: e.value, split: e.split }] : [];
    });
    const key = (m: Omit<RunMetric, 'id'>) => `${m.split}/${m.name}@${m.step}`;
    expect(runs.metrics.map(key).sort()).toEqual(expected.map(key).sort());
    expect(runs.metrics).toEqual(expect.arrayContaining(expected));
  });

  it("keeps each metric's latest value as the model summary", async () => {
    await replay(RECORDED);
    const latest: Record<string, number | null> = {};
    for (const e of RECORDED) if (e.type === 'metric') latest[`${e.split}/${e.name}`] = e.value;
    expect(recorder.latest).toEqual(latest);
  });

  it('reports progress to the run and the job, with a percentage of the steps', async () => {
    await replay(RECORDED);
    const progress = RECORDED.filter((e) => e.type === 'progress');
    expect(runs.progress.map((p) => p.progress.step)).toEqual(progress.map((e) => e.step));
    expect(jobProgress).toEqual(progress.map((e) => expect.objectContaining({ step: e.step, totalSteps: e.total_steps, percent: Math.round((100 * e.step) / e.total_steps) })));
  });

  it('remembers model.pt (not best.pt) as the model to register, and logs warnings and errors', async () => {
    await replay(RECORDED);
    expect(recorder.modelFile).toBe(RECORDED.flatMap((e) => (e.type === 'artifact' && e.path.endsWith('/model.pt') ? [e.path] : [])).at(-1));
    const error = RECORDED.find((e) => e.type === 'error');
    expect(recorder.logTail).toContain(`[error] ${error?.type === 'error' ? error.message : ''}`);
  });

  it('uploads a checkpoint that is on disk and skips one already rotated away', async () => {
    const checkpoint = RECORDED.find((e) => e.type === 'checkpoint')!;
    if (checkpoint.type !== 'checkpoint') throw new Error('the recording has no checkpoint');
    const onDisk = path.join(dir, 'step-00000002.pt');
    fs.writeFileSync(onDisk, 'weights');
    await replay([{ ...checkpoint, path: path.join(dir, 'rotated', 'step-00000001.pt') }, { ...checkpoint, path: onDisk }]);
    expect(runs.artifacts).toEqual([{ kind: 'checkpoint', name: 'step-00000002.pt', blob: expect.objectContaining({ size: 7 }), step: checkpoint.step }]);
  });

  it('keeps only the newest 40 log lines', async () => {
    const log = RECORDED.find((e) => e.type === 'log')!;
    await replay(Array.from({ length: 45 }, (_, i) => ({ ...log, message: `line ${i}` }) as TrainerEvent));
    expect(recorder.logTail).toHaveLength(40);
    expect(recorder.logTail[0]).toContain('line 5');
    expect(recorder.logTail.at(-1)).toContain('line 44');
  });
});
