import { Module, type DynamicModule } from '@nestjs/common';
import { LabelsModule } from '@lesionlab/labels';
import { PlatformModule, type Config } from '@lesionlab/platform';
import { ReleasesModule } from '@lesionlab/releases';
import { TrainingModule } from '@lesionlab/training';
import { AssistModule } from './assist/assist.module';
import { AuthModule } from './auth/auth.module';
import { CatalogApiModule } from './catalog/catalog-api.module';
import { HealthController } from './health/health.controller';
import { labelsControllers } from './labels';
import { ObjectsController } from './objects/objects.controller';
import { ReleasesController } from './releases/releases.controller';
import { ModelsController } from './training/models.controller';
import { RunsController } from './training/runs.controller';
import { SuggestionsController } from './training/suggestions.controller';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config), AuthModule, LabelsModule, CatalogApiModule, AssistModule, ReleasesModule, TrainingModule],
      controllers: [HealthController, ObjectsController, ReleasesController, RunsController, ModelsController, SuggestionsController, ...labelsControllers],
    };
  }
}
