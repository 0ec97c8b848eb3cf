import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { CreateRelease, Release, ReleaseExport } from '@lesionlab/contracts';
import { blobKey, JobQueue, OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { ReleaseNotFoundError } from './release-builder';
import { ReleaseNotReadyError, type ExportFormat } from './release-exporter';
import { ReleasesRepository, type ReleaseRow } from './releases.repository';

export type { ReleaseExport };

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

/** Cuts releases (a build job each, versions numbered per name) and reads them back. */
@Injectable()
export class ReleasesService {
  constructor(
    private readonly releases: ReleasesRepository,
    private readonly jobs: JobQueue,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async create(params: CreateRelease): Promise<Release> {
    const row = await this.releases.insertNext(params);
    await this.jobs.enqueue('releases.build', { releaseId: row.id }, { jobId: row.job_id!, attempts: 3 });
    return toRelease(row);
  }

  async list(): Promise<Release[]> {
    return (await this.releases.list()).map(toRelease);
  }

  async get(id: string): Promise<Release> {
    return toRelease(await this.row(id));
  }

  /** The release, or null when there is none (`get` refuses a missing one). */
  async find(id: string): Promise<Release | null> {
    const row = await this.releases.find(id);
    return row && toRelease(row);
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
    await this.releases.addExport(id, format);
    await this.jobs.enqueue('releases.export', { releaseId: id, format }, { jobId: `export-${id}-${format}`, attempts: 2 });
    return (await this.exports(id)).find((e) => e.format === format)!;
  }

  async exports(id: string): Promise<ReleaseExport[]> {
    await this.row(id);
    return (await this.releases.exports(id)).map((r) => ({
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
    await this.releases.markFailed(id, error);
  }

  private async row(id: string): Promise<ReleaseRow> {
    const row = await this.releases.find(id);
    if (!row) throw new ReleaseNotFoundError(id);
    return row;
  }
}
