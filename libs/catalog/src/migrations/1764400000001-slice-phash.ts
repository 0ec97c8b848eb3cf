import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * slices.phash: a 64-bit difference hash of the slice's pixels, set at import (near-duplicates differ
 * in few bits; releases use it to keep them in one split). Databases migrated before each lib owned
 * its migrations got the column from releases' Releases1764400000000, hence IF NOT EXISTS.
 */
export class SlicePhash1764400000001 implements MigrationInterface {
  name = 'SlicePhash1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE slices ADD COLUMN IF NOT EXISTS phash bigint');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE slices DROP COLUMN phash');
  }
}
