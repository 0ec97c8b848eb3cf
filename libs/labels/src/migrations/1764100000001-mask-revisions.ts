import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mask revisions, append-only: the database refuses to change or delete one. Databases migrated
 * before each lib owned its migrations got this table from catalog's CatalogAndMasks1764100000000,
 * which created it then; on those this step finds the table and does nothing.
 */
export class MaskRevisions1764100000001 implements MigrationInterface {
  name = 'MaskRevisions1764100000001';

  async up(q: QueryRunner): Promise<void> {
    const [{ exists }] = await q.query("SELECT to_regclass('mask_revisions') IS NOT NULL AS exists");
    if (exists) return;
    await q.query(`
      CREATE TABLE mask_revisions (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slice_id        uuid NOT NULL REFERENCES slices (id) ON DELETE RESTRICT,
        class           text NOT NULL DEFAULT 'opacification',
        height          integer NOT NULL CHECK (height > 0),
        width           integer NOT NULL CHECK (width > 0),
        rle_counts      text NOT NULL,
        area            integer NOT NULL CHECK (area >= 0),
        author          text NOT NULL,
        source          text NOT NULL CHECK (source IN ('human', 'model', 'import', 'consensus')),
        parent_id       uuid REFERENCES mask_revisions (id),
        state           text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected')),
        review_comment  text,
        import_id       uuid REFERENCES imports (id) ON DELETE SET NULL,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX mask_revisions_slice_idx ON mask_revisions (slice_id, class, created_at DESC)');
    await q.query("CREATE UNIQUE INDEX mask_revisions_one_import_per_slice ON mask_revisions (slice_id, class) WHERE source = 'import'");
    await q.query(`
      CREATE FUNCTION refuse_revision_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'mask revisions are immutable (% on %)', TG_OP, OLD.id USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER mask_revisions_immutable BEFORE UPDATE OR DELETE ON mask_revisions
      FOR EACH ROW EXECUTE FUNCTION refuse_revision_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE mask_revisions');
    await q.query('DROP FUNCTION refuse_revision_change');
  }
}
