import { Controller, Get, Query } from '@nestjs/common';
import { auditQuerySchema, type AuditQuery } from '@lesionlab/contracts';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { AuditRepository, type AuditRecord } from './audit.repository';

/** The audit log, newest first, filtered; `nextBefore` pages further back. */
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  async list(@Query(new ZodValidationPipe(auditQuerySchema)) query: AuditQuery): Promise<{ items: AuditRecord[]; nextBefore: number | null }> {
    const items = await this.audit.search(query);
    return { items, nextBefore: items.length === query.limit ? items[items.length - 1].id : null };
  }
}
