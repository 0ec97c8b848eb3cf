import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { CreateRelease, Release, ReleaseExport } from '@lesionlab/contracts';
import { blobKey, JobQueue, OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { DataSource } from 'typeorm';
import { ReleaseNotFoundError } from './release-builder';
import { ReleaseNotReadyError, type ExportFormat } from './release-exporter';

export type { ReleaseExport };

interface ReleaseRow {
  id: string;
  name: string;
  version: number;
  description: string;
  status: Release['status'];
  params: CreateRelease;
  digest: string | null;
  summary: Release['summary'];
  error: string | null;
  job_id: string | null;
  created_at: Date;
  finished_at: Date | null;
  manifest_blob: string | null;
}


function toRelease(row: ReleaseRow): Release {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    title: `${row.name} v${row.version}`,
    description: row.description,
    status: row.status,
    params: row.params,
    digest: row.digest?.trim() ?? null,
    summary: row.summary,
    error: row.error,
    jobId: row.job_id,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

const COLUMNS = 'id, name, version, description, status, params, digest, summary, error, job_id, created_at, finished_at, manifest_blob';

/** Cuts releases (a build job each, versions numbered per name) and reads them back. */
@Injectable()
export class ReleasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async create(params: CreateRelease): Promise<Release> {
    const row = await this.dataSource.transaction(async (manager) => {
      // one writer per name at a time, so versions count 1, 2, 3 … without gaps or clashes
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`release:${params.name}`]);
      const id = randomUUID();
      const [created] = await manager.query(
        `INSERT INTO releases (id, name, version, description, params, job_id)
         VALUES ($1, $2, (SELECT COALESCE(MAX(version), 0) + 1 FROM releases WHERE name = $2), $3, $4, $5)
         RETURNING ${COLUMNS}`,
        [id, params.name, params.description, JSON.stringify(params), `release-${id}`],
      );
      return created as ReleaseRow;
    });
    await this.jobs.enqueue('releases.build', { releaseId: row.id }, { jobId: row.job_id!, attempts: 3 });
    return toRelease(row);
  }

  async list(): Promise<Release[]> {
    const rows: ReleaseRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM releases ORDER BY created_at DESC, version DESC LIMIT 500`);
    return rows.map(toRelease);
  }

  async get(id: string): Promise<Release> {
    return toRelease(await this.row(id));
  }

  async manifest(id: string): Promise<Readable> {
    const row = await this.row(id);
    if (row.status !== 'ready' || !row.manifest_blob) throw new ReleaseNotReadyError(id, row.status);
    return this.storage.get(blobKey(row.manifest_blob.trim()));
  }

  /** Queues an export of a ready release (once per format; asking again returns the same one). */
  async requestExport(id: string, format: ExportFormat): Promise<ReleaseExport> {
    const row = await this.row(id);
    if (row.status !== 'ready') throw new ReleaseNotReadyError(id, row.status);
    await this.dataSource.query('INSERT INTO release_exports (release_id, format) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, format]);
    await this.jobs.enqueue('releases.export', { releaseId: id, format }, { jobId: `export-${id}-${format}`, attempts: 2 });
    return (await this.exports(id)).find((e) => e.format === format)!;
  }

  async exports(id: string): Promise<ReleaseExport[]> {
    await this.row(id);
    const rows = await this.dataSource.query(
      'SELECT format, status, files, archive_key, archive_sha256, error, created_at, finished_at FROM release_exports WHERE release_id = $1 ORDER BY format',
      [id],
    );
    return rows.map((r: { format: ExportFormat; status: string; files: ReleaseExport['files']; archive_key: string | null; archive_sha256: string | null; error: string | null; created_at: Date; finished_at: Date | null }) => ({
      format: r.format,
      status: r.status,
      files: r.files,
      archiveKey: r.archive_key,
      archiveSha256: r.archive_sha256,
      error: r.error,
      createdAt: r.created_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
    }));
  }

  /** The export's .tar.gz: a presigned URL where the store serves them (S3), else a stream. */
  async exportArchive(id: string, format: ExportFormat): Promise<{ url: string } | { stream: Readable }> {
    const done = (await this.exports(id)).find((e) => e.format === format && e.status === 'succeeded');
    if (!done?.archiveKey) throw new ReleaseNotReadyError(id, `without a finished ${format} export`);
    if (this.storage.driver === 's3') return { url: await this.storage.presignGet(done.archiveKey) };
    return { stream: await this.storage.get(done.archiveKey) };
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE releases SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status <> 'ready'`, [id, error]);
  }

  private async row(id: string): Promise<ReleaseRow> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM releases WHERE id = $1`, [id]);
    if (!row) throw new ReleaseNotFoundError(id);
    return row;
  }
}
