import { Module } from '@nestjs/common';
import { BuildReleaseJob } from './build-release.job';
import { ExportReleaseJob } from './export-release.job';
import { ReleaseExporter } from './release-exporter';
import { ReleaseBuilder } from './release-builder';
import { ReleaseDiffer } from './release-diff';
import { ReleasesService } from './releases.service';

@Module({
  providers: [ReleaseBuilder, ReleasesService, BuildReleaseJob, ReleaseDiffer, ReleaseExporter, ExportReleaseJob],
  exports: [ReleasesService, ReleaseBuilder, ReleaseDiffer, ReleaseExporter],
})
export class ReleasesModule {}
