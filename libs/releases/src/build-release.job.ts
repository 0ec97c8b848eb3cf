import { Injectable } from '@nestjs/common';
import type { BuildReleasePayload } from '@lesionlab/contracts';
import { OnJob, PermanentJobError, type JobContext } from '@lesionlab/platform';
import { ReleaseBuilder } from './release-builder';
import { ReleasesService } from './releases.service';

@Injectable()
export class BuildReleaseJob {
  constructor(
    private readonly builder: ReleaseBuilder,
    private readonly releases: ReleasesService,
  ) {}

  @OnJob({ name: 'releases.build', queue: 'releases', concurrency: 1 })
  async handle(payload: BuildReleasePayload, context: JobContext) {
    try {
      const built = await this.builder.build(payload.releaseId, (progress) => context.updateProgress({ ...progress }));
      return { digest: built.digest, slices: built.summary.slices, patients: built.summary.patients };
    } catch (error) {
      if (context.attempt >= context.maxAttempts || error instanceof PermanentJobError) {
        await this.releases.markFailed(payload.releaseId, error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  }
}
