import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog's review-state filter, facet and badge read each slice's newest non-draft mask
 * revision (libs/catalog/src/query/slice-filters.ts): this partial index answers it per slice with
 * one probe, and in slice_id order for the whole table, without reading drafts or the masks.
 */
export class CatalogReviewStateIndex1764700000000 implements MigrationInterface {
  name = 'CatalogReviewStateIndex1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE INDEX mask_revisions_reviewed_idx ON mask_revisions (slice_id, created_at DESC, id DESC) INCLUDE (state) WHERE state <> 'draft'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX mask_revisions_reviewed_idx');
  }
}
