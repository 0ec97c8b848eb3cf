import { Module } from '@nestjs/common';
import { CatalogModule } from '@lesionlab/catalog';
import { ImportsController } from './imports.controller';
import { PatientsController } from './patients.controller';
import { SlicesController } from './slices.controller';

@Module({
  imports: [CatalogModule],
  controllers: [ImportsController, SlicesController, PatientsController],
})
export class CatalogApiModule {}
