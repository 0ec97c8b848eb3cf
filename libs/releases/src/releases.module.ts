import { Module } from '@nestjs/common';
import { BuildReleaseJob } from './build-release.job';
import { ExportReleaseJob } from './export-release.job';
import { ReleaseExporter } from './release-exporter';
import { ReleaseBuilder } from './release-builder';
import { ReleaseDiffer } from './release-diff';
import { ReleasesRepository } from './releases.repository';
import { ReleasesService } from './releases.service';

@Module({
  providers: [ReleaseBuilder, ReleasesRepository, ReleasesService, BuildReleaseJob, ReleaseDiffer, ReleaseExporter, ExportReleaseJob],
  exports: [ReleasesService, ReleaseBuilder, ReleaseDiffer, ReleaseExporter],
})
export class ReleasesModule {}
