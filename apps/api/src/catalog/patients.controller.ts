import { Controller, Get, Query } from '@nestjs/common';
import { patientQuerySchema, type PatientPage, type PatientQuery } from '@lesionlab/contracts';
import { PatientsRepository } from '@lesionlab/catalog';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsRepository) {}

  /** Patients with their slice counts per supervision kind, one keyset page at a time. */
  @Get()
  async list(@Query(new ZodValidationPipe(patientQuerySchema)) query: PatientQuery): Promise<PatientPage> {
    return await this.patients.list(query);
  }
}
