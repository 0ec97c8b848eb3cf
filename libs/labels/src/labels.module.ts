import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
// Only the port and the supervision rule of the catalog, never its importers (labels must stay light).
import { IMPORTED_MASK_RECORDER } from '@lesionlab/catalog';
import { AgreementQuery } from './agreement/agreement.query';
import { LungFields } from './facts/lung-fields';
import { SlicePixelsReader } from './facts/slice-pixels.reader';
import { MaskRevisionFactsEntity } from './masks/mask-revision-facts.entity';
import { MaskRevisionEntity } from './masks/mask-revision.entity';
import { MaskRevisionsRepository } from './masks/mask-revisions.repository';
import { MaskRevisionsQuery } from './masks/mask-revisions.query';
import { RecordImportedMasksUseCase } from './masks/record-imported-masks.usecase';
import { SaveMaskUseCase } from './masks/save-mask.usecase';
import { MaskOriginResolver } from './masks/mask-origin.resolver';
import { InterpolationSourcesQuery } from './masks/interpolation-sources.query';
import { AnnotationStatsQuery } from './masks/annotation-stats.query';
import { MaskDraftsRepository } from './drafts/mask-drafts.repository';
import { LabelRevisionEntity } from './label-values/label-revision.entity';
import { LabelRevisionsQuery } from './label-values/label-revisions.query';
import { LabelRevisionsRepository } from './label-values/label-revisions.repository';
import { SaveLabelUseCase } from './label-values/save-label.usecase';
import { ReviewLabelUseCase } from './review/review-label.usecase';
import { ReviewMaskUseCase } from './review/review-mask.usecase';
import { ReviewQueueQuery } from './review/review-queue.query';
import { ReviewUseCase } from './review/review.usecase';

const services = [
  MaskRevisionsRepository,
  MaskRevisionsQuery,
  SaveMaskUseCase,
  MaskOriginResolver,
  InterpolationSourcesQuery,
  AnnotationStatsQuery,
  MaskDraftsRepository,
  RecordImportedMasksUseCase,
  LabelRevisionsRepository,
  LabelRevisionsQuery,
  SaveLabelUseCase,
  ReviewMaskUseCase,
  ReviewLabelUseCase,
  ReviewUseCase,
  ReviewQueueQuery,
  AgreementQuery,
];

/**
 * Mask and label revisions, derived facts, review and agreement. Also provides the catalog's
 * IMPORTED_MASK_RECORDER, so importers (in the api and the worker) store masks through it; global,
 * so the catalog's module gets the port without importing labels. Needs the platform's DataSource
 * and OBJECT_STORAGE.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MaskRevisionEntity, MaskRevisionFactsEntity, LabelRevisionEntity])],
  providers: [SlicePixelsReader, LungFields, ...services, { provide: IMPORTED_MASK_RECORDER, useExisting: RecordImportedMasksUseCase }],
  exports: [...services, LungFields, IMPORTED_MASK_RECORDER],
})
export class LabelsModule {}
