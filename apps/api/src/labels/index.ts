import { AgreementController } from './agreement.controller';
import { AnnotationStatsController } from './annotation-stats.controller';
import { LabelValuesController } from './label-values.controller';
import { MasksController } from './masks.controller';
import { ReviewController } from './review.controller';

/** The HTTP side of libs/labels: masks, patient and slice labels, review, agreement, annotation statistics. */
export const labelsControllers = [MasksController, LabelValuesController, ReviewController, AgreementController, AnnotationStatsController];
