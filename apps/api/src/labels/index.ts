import { AgreementController } from './agreement.controller';
import { LabelValuesController } from './label-values.controller';
import { MasksController } from './masks.controller';
import { ReviewController } from './review.controller';

/** The HTTP side of libs/labels: masks, patient and slice labels, review, agreement. */
export const labelsControllers = [MasksController, LabelValuesController, ReviewController, AgreementController];
