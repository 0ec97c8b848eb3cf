import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import type { Agreement } from '@lesionlab/contracts';
import { AgreementQuery } from '@lesionlab/labels';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

const agreementQuerySchema = z.object({
  sliceId: z.uuid().optional(),
  limit: z.coerce.number().int().min(2).max(5000).default(1000),
});

@Controller('agreement')
export class AgreementController {
  constructor(private readonly agreement: AgreementQuery) {}

  /** Per-slice Dice between annotators and a summary per annotator pair. */
  @Get()
  get(@Query(new ZodValidationPipe(agreementQuerySchema)) query: z.infer<typeof agreementQuerySchema>): Promise<Agreement> {
    return this.agreement.compute(query);
  }
}
