import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry, AuditRecord } from '@lesionlab/contracts';

export type { AuditEntry, AuditRecord };

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** any id the entry names (a route parameter or the id of what was created) */
  id?: string;
  since?: Date;
  until?: Date;
  /** the id of the last entry of the previous page */
  before?: number;
  limit: number;
}

/** The append-only audit log (the database refuses UPDATE and DELETE on it). */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.db.query('INSERT INTO audit_log (actor, actor_role, action, ids, status, ip, user_agent, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      entry.actor,
      entry.actorRole,
      entry.action,
      JSON.stringify(entry.ids),
      entry.status,
      entry.ip,
      entry.userAgent,
      entry.requestId,
    ]);
  }

  /** Newest first; every filter is a bound parameter. */
  async search(filter: AuditFilter): Promise<AuditRecord[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT id, at, actor, actor_role, action, ids, status, ip, user_agent, request_id FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1)
          AND ($2::text IS NULL OR action = $2)
          AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM jsonb_each_text(ids) AS e WHERE e.value = $3))
          AND ($4::timestamptz IS NULL OR at >= $4)
          AND ($5::timestamptz IS NULL OR at < $5)
          AND ($6::bigint IS NULL OR id < $6)
        ORDER BY id DESC LIMIT $7`,
      [filter.actor ?? null, filter.action ?? null, filter.id ?? null, filter.since ?? null, filter.until ?? null, filter.before ?? null, filter.limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: (r.at as Date).toISOString(),
      actor: r.actor as string,
      actorRole: r.actor_role as string | null,
      action: r.action as string,
      ids: r.ids as Record<string, string>,
      status: r.status as number,
      ip: r.ip as string | null,
      userAgent: r.user_agent as string | null,
      requestId: r.request_id as string | null,
    }));
  }
}
