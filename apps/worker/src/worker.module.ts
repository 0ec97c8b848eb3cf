import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LabelsModule } from '@lesionlab/labels';
import { CatalogModule } from '@lesionlab/catalog';
import { JobRegistry, PlatformModule, type Config } from '@lesionlab/platform';
import { ReleasesModule } from '@lesionlab/releases';
import { TrainingModule } from '@lesionlab/training';
import { PingJob } from './system/ping.job';
import { SweepOrphansJob } from './system/sweep-orphans.job';

/** The worker's composition root: every module whose providers declare @OnJob handlers. */
@Module({})
export class WorkerModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), DiscoveryModule, LabelsModule, CatalogModule, ReleasesModule, TrainingModule],
      providers: [JobRegistry, PingJob, SweepOrphansJob],
    };
  }
}
