import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { ImportCounts, ImportFailure, ImportFormat, ImportRun } from '@lesionlab/contracts';
import { ImportRunEntity, type ImportStatus } from './entities/import-run.entity';
import { decodeCursor, encodeCursor } from './query/cursor';

/** Failures kept on the row; past this many only the count grows. */
export const MAX_RECORDED_FAILURES = 1000;

export function toImportRun(row: ImportRunEntity): ImportRun {
  return {
    id: row.id,
    format: row.format,
    source: row.source,
    options: row.options,
    status: row.status,
    found: row.found,
    imported: row.imported,
    duplicates: row.duplicates,
    failed: row.failed,
    masks: row.masks,
    failures: row.failures,
    timings: row.timings,
    error: row.error,
    jobId: row.jobId,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ImportsRepository {
  constructor(@InjectRepository(ImportRunEntity) private readonly imports: Repository<ImportRunEntity>) {}

  async create(format: ImportFormat, source: string, options: Record<string, unknown>): Promise<ImportRunEntity> {
    return this.imports.save(this.imports.create({ format, source, options, status: 'queued', failures: [], timings: {} }));
  }

  async get(id: string): Promise<ImportRunEntity | null> {
    return this.imports.findOneBy({ id });
  }

  /** Newest first; `cursor` (a page's nextCursor) continues after the import it names. */
  async list(limit: number, cursor?: string): Promise<{ rows: ImportRunEntity[]; nextCursor: string | null }> {
    const query = this.imports.createQueryBuilder('i').orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC').limit(limit + 1);
    if (cursor) {
      const [after] = decodeCursor(cursor, ['id']);
      query.where('(i.created_at, i.id) < (SELECT created_at, id FROM imports WHERE id = :after)', { after });
    }
    const rows = await query.getMany();
    return { rows: rows.slice(0, limit), nextCursor: rows.length > limit ? encodeCursor([rows[limit - 1].id]) : null };
  }

  async setJob(id: string, jobId: string): Promise<void> {
    await this.imports.update({ id }, { jobId });
  }

  async start(id: string): Promise<void> {
    await this.imports.update(
      { id },
      { status: 'running', startedAt: new Date(), finishedAt: null, error: null, found: 0, imported: 0, duplicates: 0, failed: 0, masks: 0, failures: [], timings: {} },
    );
  }

  async saveProgress(id: string, counts: ImportCounts, failures: ImportFailure[]): Promise<void> {
    await this.imports.update({ id }, { ...counts, failures: failures.slice(0, MAX_RECORDED_FAILURES) });
  }

  async finish(id: string, status: Exclude<ImportStatus, 'queued' | 'running'>, timings: Record<string, number>, error: string | null): Promise<void> {
    await this.imports.update({ id }, { status, timings, error, finishedAt: new Date() });
  }
}
