import { Injectable } from '@nestjs/common';
import type { ExportReleasePayload } from '@lesionlab/contracts';
import { OnJob, type JobContext } from '@lesionlab/platform';
import { DataSource } from 'typeorm';
import { ReleaseExporter } from './release-exporter';

@Injectable()
export class ExportReleaseJob {
  constructor(
    private readonly exporter: ReleaseExporter,
    private readonly dataSource: DataSource,
  ) {}

  @OnJob({ name: 'releases.export', queue: 'releases', concurrency: 1 })
  async handle(payload: ExportReleasePayload, context: JobContext) {
    const update = (sql: string, values: unknown[]) => this.dataSource.query(sql, [payload.releaseId, payload.format, ...values]);
    await update(`UPDATE release_exports SET status = 'running', error = NULL WHERE release_id = $1 AND format = $2`, []);
    try {
      const { files, archiveKey, archiveSha256 } = await this.exporter.export(payload.releaseId, payload.format);
      await update(`UPDATE release_exports SET status = 'succeeded', files = $3, archive_key = $4, archive_sha256 = $5, finished_at = now() WHERE release_id = $1 AND format = $2`, [
        JSON.stringify(files),
        archiveKey,
        archiveSha256,
      ]);
      return { files: files.length, archiveKey };
    } catch (error) {
      if (context.attempt >= context.maxAttempts) {
        await update(`UPDATE release_exports SET status = 'failed', error = $3, finished_at = now() WHERE release_id = $1 AND format = $2`, [
          error instanceof Error ? error.message : String(error),
        ]);
      }
      throw error;
    }
  }
}
