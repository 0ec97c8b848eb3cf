import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What labels need beside the append-only mask revisions:
 * - mask_revisions gains `reviewed_by` (who approved or rejected) and `conflict_with` (set on a draft
 *   kept after a stale save: the revision that was current then). Both are written once, at insert.
 * - mask_revision_facts: the facts derived from each saved mask (lesion count, areas, boxes,
 *   locations) and its quality warnings, one row per revision, as immutable as the revision.
 * - accepted_mask_facts: the facts of each slice's accepted (newest approved) mask, for the catalog's
 *   lesion-area filter.
 * - label_revisions: patient labels (covid/negative) and slice labels (opacification present/absent),
 *   append-only like masks.
 */
export class LabelsReviewAndFacts1764300000000 implements MigrationInterface {
  name = 'LabelsReviewAndFacts1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE mask_revisions ADD COLUMN reviewed_by text');
    await q.query('ALTER TABLE mask_revisions ADD COLUMN conflict_with uuid REFERENCES mask_revisions (id)');
    await q.query("CREATE INDEX mask_revisions_review_idx ON mask_revisions (parent_id) WHERE state IN ('approved', 'rejected')");
    await q.query("CREATE INDEX mask_revisions_submitted_idx ON mask_revisions (created_at) WHERE state = 'submitted'");
    await q.query(`
      CREATE TABLE mask_revision_facts (
        revision_id       uuid PRIMARY KEY REFERENCES mask_revisions (id),
        slice_id          uuid NOT NULL REFERENCES slices (id),
        lesion_count      integer NOT NULL CHECK (lesion_count >= 0),
        speck_count       integer NOT NULL CHECK (speck_count >= 0),
        min_lesion_px     integer NOT NULL CHECK (min_lesion_px > 0),
        area_px           integer NOT NULL CHECK (area_px >= 0),
        area_mm2          real CHECK (area_mm2 >= 0),
        lung_field_known  boolean NOT NULL,
        lesions           jsonb NOT NULL,
        warnings          jsonb NOT NULL DEFAULT '[]'
      )`);
    await q.query('CREATE INDEX mask_revision_facts_area_idx ON mask_revision_facts (area_px)');
    await q.query(`
      CREATE FUNCTION refuse_revision_facts_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'mask revision facts are immutable (% on %)', TG_OP, OLD.revision_id USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER mask_revision_facts_immutable BEFORE UPDATE OR DELETE ON mask_revision_facts
      FOR EACH ROW EXECUTE FUNCTION refuse_revision_facts_change()`);
    await q.query(`
      CREATE VIEW accepted_mask_facts AS
      SELECT DISTINCT ON (r.slice_id, r.class)
             r.slice_id, r.class, r.id AS revision_id, f.lesion_count, f.area_px, f.area_mm2
        FROM mask_revisions r JOIN mask_revision_facts f ON f.revision_id = r.id
       WHERE r.state = 'approved'
       ORDER BY r.slice_id, r.class, r.created_at DESC, r.id DESC`);
    await q.query(`
      CREATE TABLE label_revisions (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id      uuid REFERENCES patients (id) ON DELETE RESTRICT,
        slice_id        uuid REFERENCES slices (id) ON DELETE RESTRICT,
        value           text NOT NULL,
        author          text NOT NULL,
        source          text NOT NULL CHECK (source IN ('human', 'model', 'import', 'consensus')),
        parent_id       uuid REFERENCES label_revisions (id),
        state           text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected')),
        review_comment  text,
        reviewed_by     text,
        conflict_with   uuid REFERENCES label_revisions (id),
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((patient_id IS NULL) <> (slice_id IS NULL)),
        CHECK (patient_id IS NULL OR value IN ('covid', 'negative')),
        CHECK (slice_id IS NULL OR value IN ('present', 'absent'))
      )`);
    await q.query('CREATE INDEX label_revisions_patient_idx ON label_revisions (patient_id, created_at DESC) WHERE patient_id IS NOT NULL');
    await q.query('CREATE INDEX label_revisions_slice_idx ON label_revisions (slice_id, created_at DESC) WHERE slice_id IS NOT NULL');
    await q.query("CREATE INDEX label_revisions_submitted_idx ON label_revisions (created_at) WHERE state = 'submitted'");
    await q.query("CREATE INDEX label_revisions_review_idx ON label_revisions (parent_id) WHERE state IN ('approved', 'rejected')");
    await q.query(`
      CREATE TRIGGER label_revisions_immutable BEFORE UPDATE OR DELETE ON label_revisions
      FOR EACH ROW EXECUTE FUNCTION refuse_revision_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE label_revisions');
    await q.query('DROP VIEW accepted_mask_facts');
    await q.query('DROP TABLE mask_revision_facts');
    await q.query('DROP FUNCTION refuse_revision_facts_change');
    await q.query('DROP INDEX mask_revisions_submitted_idx');
    await q.query('DROP INDEX mask_revisions_review_idx');
    await q.query('ALTER TABLE mask_revisions DROP COLUMN conflict_with');
    await q.query('ALTER TABLE mask_revisions DROP COLUMN reviewed_by');
  }
}
