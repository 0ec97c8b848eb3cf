import { Module, type DynamicModule } from '@nestjs/common';
import { LabelsModule } from '@lesionlab/labels';
import { PlatformModule, type Config } from '@lesionlab/platform';
import { ReleasesModule } from '@lesionlab/releases';
import { CatalogApiModule } from './catalog/catalog-api.module';
import { HealthController } from './health/health.controller';
import { labelsControllers } from './labels';
import { ObjectsController } from './objects/objects.controller';
import { ReleasesController } from './releases/releases.controller';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config), LabelsModule, CatalogApiModule, ReleasesModule],
      controllers: [HealthController, ObjectsController, ReleasesController, ...labelsControllers],
    };
  }
}
