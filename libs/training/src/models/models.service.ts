import { Injectable } from '@nestjs/common';
import { UNEVALUATED_MODELS, type ChangeModelStage, type EvaluateModel, type Evaluation, type Model, type PredictionBatch, type PredictRequest, type TrainerModel } from '@lesionlab/contracts';
import { JobQueue } from '@lesionlab/platform';
import { ReleasesService } from '@lesionlab/releases';
import { BoxPromptModelError, TrainingNotFoundError } from '../errors';
import { assertReadyRelease } from '../runs/runs.service';
import { EvaluationsRepository } from './evaluations.repository';
import { ModelsRepository } from './models.repository';
import { PredictionBatchesRepository, type SlicePrediction } from './prediction-batches.repository';

/** Registered models: listing, evaluations (an evaluate job each) and predictions (a predict job each). */
@Injectable()
export class ModelsService {
  constructor(
    private readonly models: ModelsRepository,
    private readonly evaluations: EvaluationsRepository,
    private readonly batches: PredictionBatchesRepository,
    private readonly jobs: JobQueue,
    private readonly releases: ReleasesService,
  ) {}

  list(): Promise<Model[]> {
    return this.models.list();
  }

  async get(id: string): Promise<Model> {
    const model = await this.models.get(id);
    if (!model) throw new TrainingNotFoundError(`model ${id}`);
    return model;
  }

  async setStage(id: string, change: ChangeModelStage): Promise<Model> {
    const model = await this.models.setStage(id, change.stage);
    if (!model) throw new TrainingNotFoundError(`model ${id}`);
    return model;
  }

  /** The model, refused when it cannot segment whole slices (a box-prompt model such as medsam-lite). */
  private async wholeSliceModel(id: string): Promise<Model> {
    const model = await this.get(id);
    if (UNEVALUATED_MODELS.includes(model.architecture as TrainerModel)) throw new BoxPromptModelError(model);
    return model;
  }

  /** Evaluates the model on a split of a release (default: its own release's test split). */
  async evaluate(modelId: string, request: EvaluateModel): Promise<Evaluation> {
    const model = await this.wholeSliceModel(modelId);
    const releaseId = request.releaseId ?? model.releaseId;
    await assertReadyRelease(this.releases, releaseId);
    const evaluation = await this.evaluations.insert(model.id, releaseId, request.split);
    await this.queueEvaluation(evaluation.id);
    return evaluation;
  }

  /** Queues an evaluation's job; idempotent (one job per evaluation), so a retry may call it again. */
  async queueEvaluation(evaluationId: string): Promise<void> {
    await this.jobs.enqueue('training.evaluate', { evaluationId }, { jobId: `evaluation-${evaluationId}`, attempts: 2 });
  }

  async evaluation(id: string): Promise<Evaluation> {
    const evaluation = await this.evaluations.get(id);
    if (!evaluation) throw new TrainingNotFoundError(`evaluation ${id}`);
    return evaluation;
  }

  async predict(modelId: string, request: PredictRequest): Promise<PredictionBatch> {
    const model = await this.wholeSliceModel(modelId);
    const batch = await this.batches.insert(model.id, request);
    await this.jobs.enqueue('training.predict', { batchId: batch.id }, { jobId: `prediction-${batch.id}`, attempts: 2 });
    return batch;
  }

  async batch(id: string): Promise<PredictionBatch & { outputs: SlicePrediction[] }> {
    const batch = await this.batches.get(id);
    if (!batch) throw new TrainingNotFoundError(`prediction batch ${id}`);
    return { ...batch, outputs: await this.batches.outputs(id) };
  }
}
