import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { pinRecipeVersion, type CreateRun, type Model, type Run, type RunArtifact, type RunMetric } from '@lesionlab/contracts';
import { blobKey, JobQueue, OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { ReleasesService } from '@lesionlab/releases';
import { TrainingNotFoundError, UnusableInitModelError, UnusableReleaseError } from '../errors';
import { ModelsRepository } from '../models/models.repository';
import { RunsRepository } from './runs.repository';

/** Launches runs (a train job each), reads them back, and cancels them. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly jobs: JobQueue,
    private readonly releases: ReleasesService,
    private readonly models: ModelsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async create(request: CreateRun): Promise<Run> {
    await assertReadyRelease(this.releases, request.releaseId);
    if (request.pretrainReleaseId) await assertReadyRelease(this.releases, request.pretrainReleaseId);
    if (request.initModelId) {
      const model = await this.models.get(request.initModelId);
      await assertInitModel(model, request, (sha256) => this.storage.exists(blobKey(sha256)));
    }
    // A recipe run keeps the version it was launched with, whatever versions come later.
    const config = pinRecipeVersion(request);
    const id = randomUUID();
    const run = await this.runs.insert(id, config, `run-${id}`);
    // Several tries: a worker that dies mid-run hands its job back, and the next try resumes it.
    await this.jobs.enqueue('training.train', { runId: id }, { jobId: `run-${id}`, attempts: 3, backoffMs: 5000 });
    return run;
  }

  list(): Promise<Run[]> {
    return this.runs.list();
  }

  async get(id: string): Promise<Run> {
    const run = await this.runs.get(id);
    if (!run) throw new TrainingNotFoundError(`run ${id}`);
    return run;
  }

  async cancel(id: string): Promise<Run> {
    await this.get(id);
    await this.runs.requestCancel(id);
    return this.get(id);
  }

  async metrics(id: string, afterId = 0): Promise<RunMetric[]> {
    await this.get(id);
    return this.runs.metrics(id, afterId);
  }

  async artifacts(id: string): Promise<RunArtifact[]> {
    await this.get(id);
    return this.runs.artifacts(id);
  }
}

/** Refuses a release that does not exist or is not ready. */
export async function assertReadyRelease(releases: ReleasesService, releaseId: string): Promise<void> {
  const release = await releases.find(releaseId);
  if (!release) throw new UnusableReleaseError(releaseId, null);
  if (release.status !== 'ready') throw new UnusableReleaseError(releaseId, release.status);
}

/**
 * Refuses the model a run would start from: missing (404), another trainer model's (the weights would not
 * fit the run's network), or one whose weights are no longer in storage.
 */
export async function assertInitModel(model: Model | null, request: Pick<CreateRun, 'initModelId' | 'model'>, weightsExist: (sha256: string) => Promise<boolean>): Promise<void> {
  if (!model) throw new TrainingNotFoundError(`model ${request.initModelId} (initModelId)`);
  const named = `model ${model.name} v${model.version} (${model.id})`;
  if (model.architecture !== request.model) throw new UnusableInitModelError(`${named} is a ${model.architecture} model; a ${request.model} run can only start from a ${request.model} model`);
  if (!(await weightsExist(model.sha256))) throw new UnusableInitModelError(`${named} has no weights in storage (blob ${model.sha256})`);
}
