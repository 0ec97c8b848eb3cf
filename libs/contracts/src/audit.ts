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
