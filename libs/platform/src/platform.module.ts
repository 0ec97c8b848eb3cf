import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule } from './config/config.module';
import type { Config } from './config/load-settings';
import { DatabaseModule } from './database/database.module';
import { PlatformHealth } from './health/platform-health';
import { QueueModule } from './queue/queue.module';
import { StorageModule } from './storage/storage.module';

/** Configuration, database, queue, storage and health: what both the api and the worker stand on. */
@Module({})
export class PlatformModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, QueueModule, StorageModule, TerminusModule],
      providers: [PlatformHealth],
      exports: [PlatformHealth, TerminusModule],
    };
  }
}
