import type { MigrationInterface, QueryRunner } from 'typeorm';

/** release_exports.archive_sha256: the archive's digest, reported so a download can be checked. */
export class ExportArchiveSha2561765100000000 implements MigrationInterface {
  name = 'ExportArchiveSha2561765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE release_exports ADD COLUMN archive_sha256 text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE release_exports DROP COLUMN archive_sha256');
  }
}
