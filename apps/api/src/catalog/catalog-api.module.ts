import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { CatalogModule } from '@lesionlab/catalog';
import { CONFIG, type Config } from '@lesionlab/platform';
import { ImportsController } from './imports.controller';
import { PatientsController } from './patients.controller';
import { SlicesController } from './slices.controller';

@Module({
  imports: [
    CatalogModule,
    MulterModule.registerAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({ limits: { fileSize: config.IMPORT_UPLOAD_LIMIT_MB * 1024 * 1024 } }),
    }),
  ],
  controllers: [ImportsController, SlicesController, PatientsController],
})
export class CatalogApiModule {}
