import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateRelease, Release, ReleaseExport } from '@lesionlab/contracts';
import { DataSource } from 'typeorm';
import type { ExportFormat } from './release-exporter';

export interface ReleaseRow {
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

interface ExportRow {
  format: ExportFormat;
  status: string;
  files: ReleaseExport['files'];
  archive_key: string | null;
  archive_sha256: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = 'id, name, version, description, status, params, digest, summary, error, job_id, created_at, finished_at, manifest_blob';

/** The releases and release_exports tables, for the releases service. */
@Injectable()
export class ReleasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new release row, numbered after the newest of its name; its build job's id is `release-<id>`. */
  async insertNext(params: CreateRelease): Promise<ReleaseRow> {
    return this.dataSource.transaction(async (manager) => {
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
  }

  list(): Promise<ReleaseRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM releases ORDER BY created_at DESC, version DESC LIMIT 500`);
  }

  async find(id: string): Promise<ReleaseRow | null> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM releases WHERE id = $1`, [id]);
    return row ?? null;
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE releases SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status <> 'ready'`, [id, error]);
  }

  /** Records an export of a release once per format (asking again changes nothing). */
  async addExport(id: string, format: ExportFormat): Promise<void> {
    await this.dataSource.query('INSERT INTO release_exports (release_id, format) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, format]);
  }

  exports(id: string): Promise<ExportRow[]> {
    return this.dataSource.query(
      'SELECT format, status, files, archive_key, archive_sha256, error, created_at, finished_at FROM release_exports WHERE release_id = $1 ORDER BY format',
      [id],
    );
  }
}
