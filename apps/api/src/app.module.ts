import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Config } from '@lesionlab/platform';
import { HealthController } from './health/health.controller';
import { ObjectsController } from './objects/objects.controller';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController, ObjectsController],
    };
  }
}
