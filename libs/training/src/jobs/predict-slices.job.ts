import { Inject, Injectable } from '@nestjs/common';
import path from 'node:path';
import type { ReleaseManifestItem } from '@lesionlab/contracts';
import { insertBlobRows, OBJECT_STORAGE, OnJob, PermanentJobError, type JobContext, type ObjectStorage } from '@lesionlab/platform';
import { candidateQuery, imagePath, toCandidate, type CandidateRow } from '@lesionlab/releases';
import { DataSource } from 'typeorm';
import { ModelDrafts } from '../models/model-drafts';
import { ModelsRepository } from '../models/models.repository';
import { PredictionBatchesRepository } from '../models/prediction-batches.repository';
import { ReleaseMaterialiser } from '../trainer/release-materialiser';
import { predictInvocation } from '../trainer/trainer-command';
import { startTrainer } from '../trainer/trainer-process';
import { TrainerRuntime } from '../trainer/trainer-runtime';
import { uploadFile } from '../trainer/upload-file';
import { ModelJobInputs } from './model-job-inputs';
import { runTrainerJob } from './trainer-job';
import { readPredictions } from './trainer-outputs';

/**
 * Predicts a catalog selection with a model: the trainer's `predict` writes a mask, probabilities,
 * an uncertainty and a Grad-CAM map per slice; each mask becomes a `model`-authored draft revision.
 * A retried job skips the slices that already have their outputs.
 */
@Injectable()
export class PredictSlicesJob {
  constructor(
    private readonly batches: PredictionBatchesRepository,
    private readonly models: ModelsRepository,
    private readonly drafts: ModelDrafts,
    private readonly materialiser: ReleaseMaterialiser,
    private readonly runtime: TrainerRuntime,
    private readonly inputs: ModelJobInputs,
    private readonly dataSource: DataSource,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  @OnJob({ name: 'training.predict', queue: 'predict' })
  async handle(payload: { batchId: string }, context: JobContext): Promise<{ drafts: number }> {
    const batch = await this.batches.request(payload.batchId);
    if (!batch) throw new PermanentJobError(`No prediction batch ${payload.batchId}`);
    const model = await this.models.get(batch.modelId);
    if (!model) throw new PermanentJobError(`No model ${batch.modelId}`);
    const done = await this.batches.doneSlices(payload.batchId);
    const { sql, params } = candidateQuery(batch.request.selection, 'accepted');
    const slices = ((await this.dataSource.query(sql, params)) as CandidateRow[]).map(toCandidate);
    await this.batches.markRunning(payload.batchId, slices.length);
    const todo = slices.filter((s) => !done.has(s.sliceId));
    if (todo.length === 0) {
      await this.batches.finish(payload.batchId, 'succeeded', null);
      return { drafts: 0 };
    }
    const fail = (message: string) => this.batches.finish(payload.batchId, 'failed', message);
    return runTrainerJob({ runtime: this.runtime, context, model: model.architecture, gpus: 1, kind: 'prediction', id: payload.batchId, fail }, async (placement, work) => {
      const items: ReleaseManifestItem[] = todo.map((s) => ({
        slice_id: s.sliceId,
        patient_id: s.patientUnknown ? null : s.patientId,
        split: 'test',
        supervision: 'none',
        label: 'unknown',
        image: imagePath(s.pixelSha256),
        image_sha256: s.pixelSha256,
        mask: null,
        mask_sha256: null,
        mask_revision_id: null,
        width: s.width,
        height: s.height,
        slice_index: s.sliceIndex,
        source: s.collection,
      }));
      const data = await this.materialiser.materialise(this.runtime.cache, items, path.join(work, 'data'));
      let predictions: string | null = null;
      const exit = await startTrainer(
        predictInvocation({ python: this.runtime.python, placement, checkpoint: await this.inputs.weights(model, work), manifest: data.manifest, split: 'test', out: path.join(work, 'out'), gradcam: batch.request.gradcam }),
        async (event) => {
          if (event.type === 'artifact' && event.kind === 'predictions') predictions = event.path;
        },
      ).exited;
      // exit.error: the trainer's own error, or a stdout line that broke the event schema
      if (exit.code !== 0 || exit.error || !predictions) throw new PermanentJobError(exit.error?.message ?? `the trainer exited with ${exit.signal ?? `code ${exit.code}`}`);
      const author = `model:${model.name}:v${model.version}`;
      let drafts = 0;
      for (const row of await readPredictions(predictions)) {
        if (!row.mask_rle) continue;
        const gradcam = row.gradcam ? await uploadFile(this.storage, row.gradcam, 'image/png') : null;
        if (gradcam) await insertBlobRows(this.dataSource.manager, [gradcam]);
        await this.drafts.record(payload.batchId, author, { sliceId: row.slice_id, rle: row.mask_rle, covidProbability: row.covid_probability, uncertainty: row.uncertainty ?? null, gradcamSha256: gradcam?.sha256 ?? null });
        drafts++;
        await context.updateProgress({ done: drafts, total: todo.length });
      }
      await this.batches.finish(payload.batchId, 'succeeded', null);
      return { drafts };
    });
  }
}
