import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRegistry, PlatformModule, type Config } from '@lesionlab/platform';
import { PingJob } from './system/ping.job';

/** The worker's composition root: every module whose providers declare @OnJob handlers. */
@Module({})
export class WorkerModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), DiscoveryModule],
      providers: [JobRegistry, PingJob],
    };
  }
}
