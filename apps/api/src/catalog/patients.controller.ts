import { Controller, Get, Query } from '@nestjs/common';
import { patientQuerySchema, type PatientPage, type PatientQuery } from '@lesionlab/contracts';
import { PatientsRepository } from '@lesionlab/catalog';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { asHttpError } from './catalog-errors';

@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsRepository) {}

  /** Patients with their slice counts per supervision kind, one keyset page at a time. */
  @Get()
  async list(@Query(new ZodValidationPipe(patientQuerySchema)) query: PatientQuery): Promise<PatientPage> {
    try {
      return await this.patients.list(query);
    } catch (error) {
      throw asHttpError(error);
    }
  }
}
