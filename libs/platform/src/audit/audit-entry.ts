/**
 * One row of the audit log: who did what to which ids, with what outcome. The API's audit
 * interceptor writes most entries; a mask save writes its own inside the save's transaction.
 */
export interface AuditEntry {
  actor: string;
  actorRole: string | null;
  action: string;
  ids: Record<string, string>;
  status: number;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}
