import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provenance of every mask revision (issue #19): `origin` says where its pixels came from (manual,
 * assist, suggestion, interpolation, import: maskOriginSchema in libs/contracts), `draft_rle_counts`
 * keeps the draft its line started from (COCO counts of the revision's own size) so the server can
 * measure what the person changed, and `active_seconds` the editing time of the line. Existing
 * imports and model drafts get their origin from their source; the immutability trigger is held off
 * for that one backfill.
 */
export class MaskRevisionOrigins1765200000000 implements MigrationInterface {
  name = 'MaskRevisionOrigins1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mask_revisions
      ADD COLUMN origin jsonb NOT NULL DEFAULT '{"kind": "manual"}'
        CHECK (origin->>'kind' IN ('manual', 'assist', 'suggestion', 'interpolation', 'import')),
      ADD COLUMN draft_rle_counts text,
      ADD COLUMN active_seconds real CHECK (active_seconds >= 0)`);
    await q.query('ALTER TABLE mask_revisions DISABLE TRIGGER mask_revisions_immutable');
    await q.query(`UPDATE mask_revisions SET origin = CASE source
        WHEN 'import' THEN jsonb_build_object('kind', 'import', 'importId', import_id)
        ELSE jsonb_build_object('kind', 'suggestion', 'model', author, 'revisionId', NULL) END
      WHERE source IN ('import', 'model')`);
    await q.query('ALTER TABLE mask_revisions ENABLE TRIGGER mask_revisions_immutable');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE mask_revisions DROP COLUMN active_seconds, DROP COLUMN draft_rle_counts, DROP COLUMN origin');
  }
}
