import path from 'node:path';
import type { RunMetric, RunProgress } from '@lesionlab/contracts';
import type { JobContext, ObjectStorage } from '@lesionlab/platform';
import type { TrainerEvent } from '../trainer/trainer-events';
import { uploadFile } from '../trainer/upload-file';
import { observeStage, type ObservedStage } from './run-stages';
import type { RunsRepository } from './runs.repository';

const LOG_LINES = 40;

/**
 * Turns one run's trainer events into stored state: metrics (written with each progress event),
 * progress on the run row and the job, checkpoints uploaded as they appear, a tail of log lines, and
 * the latest value of every metric (the model's summary).
 */
export class RunRecorder {
  readonly logTail: string[] = [];
  readonly latest: Record<string, number | null> = {};
  modelFile: string | null = null;
  private pending: Array<Omit<RunMetric, 'id'>> = [];
  private epoch: number | null = null;
  private stages: ObservedStage[] = [];

  constructor(
    private readonly runId: string,
    private readonly runs: RunsRepository,
    private readonly storage: ObjectStorage,
    private readonly job: Pick<JobContext, 'updateProgress'>,
  ) {}

  async handle(event: TrainerEvent): Promise<void> {
    switch (event.type) {
      case 'metric':
        this.pending.push({ step: event.step ?? null, epoch: this.epoch, name: event.name, value: event.value, split: event.split });
        this.latest[`${event.split}/${event.name}`] = event.value;
        if (event.split !== 'train') await this.flush();
        return;
      case 'progress': {
        this.epoch = event.epoch;
        const progress: RunProgress = { step: event.step, totalSteps: event.total_steps, epoch: event.epoch, imagesPerS: event.images_per_s, etaS: event.eta_s, loss: event.loss ?? null };
        this.pending.push({ step: event.step, epoch: event.epoch, name: 'images_per_s', value: event.images_per_s, split: 'train' });
        await this.flush();
        await this.runs.setProgress(this.runId, progress, this.logTail);
        await this.job.updateProgress({ ...progress, percent: event.total_steps ? Math.round((100 * event.step) / event.total_steps) : 0 });
        return;
      }
      case 'checkpoint': {
        const blob = await uploadFile(this.storage, event.path, 'application/octet-stream');
        if (blob) await this.runs.addArtifact(this.runId, 'checkpoint', path.basename(event.path), blob, event.step);
        return;
      }
      case 'artifact':
        if (event.kind === 'model' && path.basename(event.path) === 'model.pt') this.modelFile = event.path;
        return;
      case 'stage':
        this.stages = observeStage(this.stages, { index: event.index, state: event.state, seconds: event.seconds ?? null });
        this.log(`[stage] ${event.name} (${event.index + 1}/${event.total}) ${event.state}`);
        await this.runs.setStages(this.runId, this.stages);
        return;
      case 'log':
        this.log(`[${event.level}] ${event.message}`);
        return;
      case 'error':
        this.log(`[error] ${event.message}`);
        return;
      case 'done':
        await this.flush();
        return;
    }
  }

  async flush(): Promise<void> {
    const metrics = this.pending;
    this.pending = [];
    await this.runs.addMetrics(this.runId, metrics);
  }

  private log(line: string): void {
    this.logTail.push(line);
    if (this.logTail.length > LOG_LINES) this.logTail.shift();
  }
}
