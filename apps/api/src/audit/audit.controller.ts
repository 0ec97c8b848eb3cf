import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { AuditRepository, type AuditRecord } from './audit.repository';

const auditQuerySchema = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    action: z.string().min(1).max(200).optional(),
    id: z.string().min(1).max(200).optional(),
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
    before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** The audit log, newest first, filtered; `nextBefore` pages further back. */
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  async list(@Query(new ZodValidationPipe(auditQuerySchema)) query: z.infer<typeof auditQuerySchema>): Promise<{ items: AuditRecord[]; nextBefore: number | null }> {
    const items = await this.audit.search(query);
    return { items, nextBefore: items.length === query.limit ? items[items.length - 1].id : null };
  }
}
