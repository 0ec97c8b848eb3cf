import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Blobs1764000000000 implements MigrationInterface {
  name = 'Blobs1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blobs (
        sha256       char(64) PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size         bigint NOT NULL CHECK (size >= 0),
        media_type   text NOT NULL,
        storage_key  text NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE blobs');
  }
}
