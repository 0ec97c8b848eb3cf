import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CATALOG_ENTITIES } from './entities';
import { ImportRunner } from './import/import.runner';
import { ImportSlicesJob } from './import/import-slices.job';
import { SliceBatchWriter } from './import/slice-batch.writer';
import { SourceOpener } from './import/source-opener';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';
import { PatientsRepository } from './patients.repository';
import { SlicePixelsService } from './slice-pixels.service';
import { SlicesRepository } from './slices.repository';

/**
 * Patients, scans, slices and imports. Masks found by importers go to the IMPORTED_MASK_RECORDER
 * a labels module provides (globally); without one, imports still run and say the masks were not recorded.
 */
@Module({
  imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES)],
  providers: [PatientsRepository, SlicesRepository, ImportsRepository, ImportsService, SourceOpener, SliceBatchWriter, ImportRunner, ImportSlicesJob, SlicePixelsService],
  exports: [PatientsRepository, SlicesRepository, ImportsRepository, ImportsService, ImportRunner, SlicePixelsService],
})
export class CatalogModule {}
