import { Inject, Injectable } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import { type JobContext, OBJECT_STORAGE, type ObjectStorage, OnJob, PermanentJobError, readStream } from '@lesionlab/platform';
import { parseManifest, ReleasesService } from '@lesionlab/releases';
import { EvaluationsRepository } from '../models/evaluations.repository';
import { ModelsRepository } from '../models/models.repository';
import { ReleaseMaterialiser } from '../trainer/release-materialiser';
import { parseSlicesCsv } from '../trainer/slices-csv';
import { evaluateInvocation } from '../trainer/trainer-command';
import { startTrainer } from '../trainer/trainer-process';
import { TrainerRuntime } from '../trainer/trainer-runtime';
import { ModelJobInputs } from './model-job-inputs';
import { runTrainerJob } from './trainer-job';
import { readEvaluationReport } from './trainer-outputs';
import { storeWorstSlices } from './worst-slice-overlays';

const BOOTSTRAP_ROUNDS = 500;

/** Evaluates a model on a release split with the trainer's `evaluate`: report, per-slice results, the worst slices' ground truth, prediction and Grad-CAM. */
@Injectable()
export class EvaluateModelJob {
  constructor(
    private readonly evaluations: EvaluationsRepository,
    private readonly models: ModelsRepository,
    private readonly releases: ReleasesService,
    private readonly materialiser: ReleaseMaterialiser,
    private readonly runtime: TrainerRuntime,
    private readonly inputs: ModelJobInputs,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  @OnJob({ name: 'training.evaluate', queue: 'evaluate' })
  async handle(payload: { evaluationId: string }, context: JobContext): Promise<{ status: string }> {
    const evaluation = await this.evaluations.get(payload.evaluationId);
    if (!evaluation) throw new PermanentJobError(`No evaluation ${payload.evaluationId}`);
    if (evaluation.status === 'succeeded') return { status: 'succeeded' };
    const model = await this.models.get(evaluation.modelId);
    if (!model) throw new PermanentJobError(`No model ${evaluation.modelId}`);
    const fail = (message: string) => this.evaluations.fail(evaluation.id, message);
    return runTrainerJob({ runtime: this.runtime, context, model: model.architecture, gpus: 1, kind: 'evaluation', id: evaluation.id, fail }, async (placement, work) => {
      await this.evaluations.markRunning(evaluation.id);
      const items = parseManifest(await readStream(await this.releases.manifest(evaluation.releaseId)));
      const data = await this.materialiser.materialise(this.runtime.cache, items, path.join(work, 'data'));
      const outputs: { report?: string; csv?: string } = {};
      const trainer = startTrainer(
        evaluateInvocation({ python: this.runtime.python, placement, checkpoint: await this.inputs.weights(model, work), manifest: data.manifest, split: evaluation.split, out: path.join(work, 'out'), bootstrap: BOOTSTRAP_ROUNDS }),
        async (event) => {
          if (event.type !== 'artifact') return;
          if (event.kind === 'report') outputs.report = event.path;
          if (event.kind === 'slices-csv') outputs.csv = event.path;
        },
      );
      const exit = await trainer.exited;
      // exit.error: the trainer's own error, or a stdout line that broke the event schema
      if (exit.code !== 0 || exit.error || !outputs.report || !outputs.csv) {
        throw new PermanentJobError(exit.error?.message ?? `the trainer exited with ${exit.signal ?? `code ${exit.code}`}: ${exit.logTail.slice(-3).join(' | ')}`);
      }
      const { report, overlays, blobs } = await storeWorstSlices(this.storage, outputs.report, await readEvaluationReport(outputs.report));
      await this.evaluations.succeed(evaluation.id, { report: { ...report }, slices: parseSlicesCsv(await fs.promises.readFile(outputs.csv, 'utf8')), overlays, blobs });
      return { status: 'succeeded' };
    });
  }
}
