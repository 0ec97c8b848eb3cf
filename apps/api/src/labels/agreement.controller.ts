import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { agreementQuerySchema, type Agreement } from '@lesionlab/contracts';
import { AgreementQuery } from '@lesionlab/labels';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

@Controller('agreement')
export class AgreementController {
  constructor(private readonly agreement: AgreementQuery) {}

  /** Per-slice Dice between annotators and a summary per annotator pair. */
  @Get()
  get(@Query(new ZodValidationPipe(agreementQuerySchema)) query: z.infer<typeof agreementQuerySchema>): Promise<Agreement> {
    return this.agreement.compute(query);
  }
}
