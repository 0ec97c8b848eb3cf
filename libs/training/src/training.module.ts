import { Module } from '@nestjs/common';
import { ReleasesModule } from '@lesionlab/releases';
import { EvaluateModelJob } from './jobs/evaluate-model.job';
import { ModelJobInputs } from './jobs/model-job-inputs';
import { PredictSlicesJob } from './jobs/predict-slices.job';
import { TrainRunJob } from './jobs/train-run.job';
import { EvaluationsRepository } from './models/evaluations.repository';
import { ModelDrafts } from './models/model-drafts';
import { ModelsRepository } from './models/models.repository';
import { ModelsService } from './models/models.service';
import { PredictionBatchesRepository } from './models/prediction-batches.repository';
import { SuggestionsRepository } from './suggestions/suggestions.repository';
import { RunsRepository } from './runs/runs.repository';
import { RunsService } from './runs/runs.service';
import { ReleaseMaterialiser } from './trainer/release-materialiser';
import { TrainerRuntime } from './trainer/trainer-runtime';

/**
 * Runs, models, evaluations and predictions, and the train/evaluate/predict jobs that drive the
 * trainer. Needs the platform (database, queue, storage, config) and the labels module (drafts).
 */
@Module({
  imports: [ReleasesModule],
  providers: [
    RunsRepository,
    ModelsRepository,
    EvaluationsRepository,
    PredictionBatchesRepository,
    SuggestionsRepository,
    RunsService,
    ModelsService,
    ModelDrafts,
    ReleaseMaterialiser,
    TrainerRuntime,
    ModelJobInputs,
    TrainRunJob,
    EvaluateModelJob,
    PredictSlicesJob,
  ],
  exports: [RunsService, ModelsService, ReleaseMaterialiser, TrainerRuntime, SuggestionsRepository],
})
export class TrainingModule {}
