import { Inject, Injectable, Logger } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import { runSettingsSchema, UNEVALUATED_MODELS, type Run } from '@lesionlab/contracts';
import { blobKey, type JobContext, OBJECT_STORAGE, type ObjectStorage, OnJob, PermanentJobError, readStream } from '@lesionlab/platform';
import { parseManifest, ReleasesService } from '@lesionlab/releases';
import { ModelsRepository } from '../models/models.repository';
import { ModelsService } from '../models/models.service';
import { finalLogTail } from '../runs/final-log-tail';
import { RunRecorder } from '../runs/run-recorder';
import { RunsRepository } from '../runs/runs.repository';
import { ReleaseMaterialiser } from '../trainer/release-materialiser';
import { recipeInvocation, trainInvocation, WORKER_TRAIN_DEFAULTS } from '../trainer/trainer-command';
import { startTrainer, type RunningTrainer, type TrainerExit } from '../trainer/trainer-process';
import { TrainerRuntime } from '../trainer/trainer-runtime';
import { uploadFile } from '../trainer/upload-file';
import { ModelJobInputs } from './model-job-inputs';
import { failWhenGivingUp, withTrainerWork } from './trainer-job';

/** SIGTERM, then SIGKILL after this long. */
export const TRAINER_STOP_GRACE_MS = 10_000;
const CANCEL_POLL_MS = 500;

/**
 * Trains one run: materialises its release, restores the last uploaded checkpoint (a replacement
 * worker continues where the lost one stopped), spawns the trainer, records its events, and
 * registers the model and queues its evaluation when it finishes. Cancel stops the trainer; a trainer
 * failure ends the run `failed` with the trainer's message and last log lines.
 */
@Injectable()
export class TrainRunJob {
  private readonly logger = new Logger(TrainRunJob.name);

  constructor(
    private readonly runs: RunsRepository,
    private readonly models: ModelsRepository,
    private readonly modelsService: ModelsService,
    private readonly releases: ReleasesService,
    private readonly materialiser: ReleaseMaterialiser,
    private readonly runtime: TrainerRuntime,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly inputs: ModelJobInputs,
  ) {}

  @OnJob({ name: 'training.train', queue: 'train' })
  async handle(payload: { runId: string }, context: JobContext): Promise<{ status: Run['status']; modelId?: string }> {
    const state = await this.runs.state(payload.runId);
    if (!state) throw new PermanentJobError(`No run ${payload.runId}`);
    const { run } = state;
    // A worker lost between registering the model and queueing its evaluation: this try queues it.
    if (run.status === 'succeeded' && run.modelId) await this.queueWaitingEvaluations(run.modelId);
    if (run.status === 'succeeded' || run.status === 'cancelled') return { status: run.status };
    if (state.cancelRequested) {
      await this.runs.finish(run.id, 'cancelled', null, run.logTail);
      return { status: 'cancelled' };
    }
    // A failure the next try cannot fix, or the last try: the run ends here, with the reason.
    const fail = async (message: string) => {
      const latest = await this.runs.get(run.id);
      if (latest && (latest.status === 'queued' || latest.status === 'running')) await this.runs.finish(run.id, 'failed', message, latest.logTail);
    };
    return failWhenGivingUp(context, fail, () => this.train(run, context));
  }

  private async train(run: Run, context: JobContext): Promise<{ status: Run['status']; modelId?: string }> {
    // Runs stored before the settings allowlist existed get the same check the API makes.
    const settings = runSettingsSchema.safeParse(run.config.settings);
    if (!settings.success) throw new PermanentJobError(`run settings refused: ${settings.error.issues.map((i) => i.message).join('; ')}`);
    return withTrainerWork({ runtime: this.runtime, context, model: run.config.model, gpus: run.config.gpus, kind: 'run', id: run.id }, async (placement, work) => {
      const data = await this.materialise(run.releaseId, path.join(work, 'data'));
      const pretrain = run.config.pretrainReleaseId ? await this.materialise(run.config.pretrainReleaseId, path.join(work, 'pretrain-data')) : undefined;
      await this.runtime.cache.evict(new Set([...data.items, ...(pretrain?.items ?? [])].flatMap((i) => [i.image_sha256, i.mask_sha256 ?? ''])));
      const out = path.join(work, 'out');
      const common = { python: this.runtime.python, placement, config: run.config, manifest: data.manifest, out, defaults: WORKER_TRAIN_DEFAULTS };
      // A recipe run starts again from its first stage on a new worker; a plain run resumes from its last checkpoint.
      const invocation = run.config.recipe
        ? recipeInvocation({ ...common, pretrainManifest: pretrain?.manifest })
        : trainInvocation({ ...common, initCheckpoint: await this.initWeights(run, work), resume: await this.restoreCheckpoint(run.id, out) });
      await this.runs.markRunning(run.id, { workerHost: this.runtime.host, device: placement.device, gpus: placement.gpus.join(',') || null });
      const recorder = new RunRecorder(run.id, this.runs, this.storage, context);
      const trainer = startTrainer(invocation, (event) => recorder.handle(event));
      const { exit, stoppedBy } = await this.watch(run.id, trainer, context);
      await recorder.flush();
      const logTail = finalLogTail(recorder.logTail, exit.logTail, 40);
      if (stoppedBy === 'cancel') {
        await this.runs.finish(run.id, 'cancelled', null, logTail);
        return { status: 'cancelled' };
      }
      if (stoppedBy === 'shutdown') throw new Error('the worker is shutting down: the run goes back to the queue and resumes from its last checkpoint');
      // exit.error: the trainer's own error, or a stdout line that broke the event schema
      if (exit.code !== 0 || exit.error || !recorder.modelFile) {
        const message = exit.error?.message ?? `the trainer exited with ${exit.signal ?? `code ${exit.code}`}`;
        await this.runs.finish(run.id, 'failed', message, logTail);
        throw new PermanentJobError(message);
      }
      return { status: 'succeeded', modelId: await this.register(run, recorder, logTail) };
    });
  }

  private async materialise(releaseId: string, folder: string) {
    const items = parseManifest(await readStream(await this.releases.manifest(releaseId)));
    return this.materialiser.materialise(this.runtime.cache, items, folder);
  }

  /** The weights of the registered model the run starts from (its initModelId), downloaded into the run folder; undefined without one. */
  private async initWeights(run: Run, work: string): Promise<string | undefined> {
    const id = run.config.initModelId;
    if (!id) return undefined;
    const model = await this.models.get(id);
    if (!model) throw new PermanentJobError(`the run starts from model ${id}, which is not registered`);
    const folder = path.join(work, 'init-model');
    await fs.promises.mkdir(folder, { recursive: true });
    const weights = await this.inputs.weights(model, folder);
    this.logger.log(`run ${run.id}: starting from model ${model.name} v${model.version} (${model.id})`);
    return weights;
  }

  /** Downloads the newest uploaded checkpoint into the run folder; its path, or undefined for a fresh start. */
  private async restoreCheckpoint(runId: string, out: string): Promise<string | undefined> {
    const checkpoint = await this.runs.lastCheckpoint(runId);
    if (!checkpoint) return undefined;
    const target = path.join(out, 'checkpoints', checkpoint.name);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(await this.runtime.cache.file(checkpoint.sha256, () => this.storage.get(blobKey(checkpoint.sha256))), target);
    await this.runs.resumeFrom(runId, checkpoint.step);
    this.logger.log(`run ${runId}: resuming from its checkpoint at step ${checkpoint.step}`);
    return target;
  }

  /** Waits for the trainer, stopping it when the run is cancelled or the worker shuts down. */
  private async watch(runId: string, trainer: RunningTrainer, context: JobContext): Promise<{ exit: TrainerExit; stoppedBy: 'cancel' | 'shutdown' | null }> {
    let stoppedBy: 'cancel' | 'shutdown' | null = null;
    const stop = (reason: 'cancel' | 'shutdown') => {
      stoppedBy ??= reason;
      void trainer.stop(TRAINER_STOP_GRACE_MS).catch(() => undefined);
    };
    const onShutdown = () => stop('shutdown');
    context.signal.addEventListener('abort', onShutdown);
    const poll = setInterval(() => {
      this.runs.state(runId).then(
        (state) => state?.cancelRequested && stop('cancel'),
        () => undefined,
      );
    }, CANCEL_POLL_MS);
    try {
      return { exit: await trainer.exited, stoppedBy };
    } finally {
      clearInterval(poll);
      context.signal.removeEventListener('abort', onShutdown);
    }
  }

  /**
   * Uploads the final model and registers it with its evaluation on the test split (models `evaluate` can
   * score, releases with a test split) in one step, the run becoming `succeeded`; then queues that evaluation.
   */
  private async register(run: Run, recorder: RunRecorder, logTail: string[]): Promise<string> {
    const blob = await uploadFile(this.storage, recorder.modelFile!, 'application/octet-stream');
    if (!blob) throw new Error(`the trainer's model file ${recorder.modelFile} is missing`);
    await this.runs.addArtifact(run.id, 'model', 'model.pt', blob, null);
    const release = await this.releases.get(run.releaseId);
    const evaluate = !UNEVALUATED_MODELS.includes(run.config.model) && (release.summary?.splits.test.slices ?? 0) > 0;
    const model = await this.models.register({
      runId: run.id,
      releaseId: run.releaseId,
      name: run.config.model,
      architecture: run.config.model,
      blob,
      metrics: recorder.latest,
      logTail,
      ...(evaluate && { evaluateOn: { releaseId: run.releaseId, split: 'test' as const } }),
    });
    await this.queueWaitingEvaluations(model.id);
    return model.id;
  }

  private async queueWaitingEvaluations(modelId: string): Promise<void> {
    const model = await this.models.get(modelId);
    for (const evaluation of model?.evaluations ?? []) {
      if (evaluation.status === 'queued') await this.modelsService.queueEvaluation(evaluation.id);
    }
  }
}
