import { z } from 'zod';

/**
 * One row of the audit log: who did what to which ids, with what outcome. The API's audit
 * interceptor writes most entries; a mask save writes its own inside the save's transaction.
 */
export const auditEntrySchema = z.object({
  actor: z.string(),
  actorRole: z.string().nullable(),
  action: z.string(),
  /** route parameters and the ids of what was created */
  ids: z.record(z.string(), z.string()),
  status: z.number().int(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** An entry as `GET /api/audit` lists it. */
export const auditRecordSchema = auditEntrySchema.extend({ id: z.number().int(), at: z.string() });
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** GET /api/audit query: newest first; `before` (an entry id) pages further back. */
export const auditQuerySchema = z
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
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditPageSchema = z.object({ items: z.array(auditRecordSchema), nextBefore: z.number().int().nullable() });
export type AuditPage = z.infer<typeof auditPageSchema>;
