import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - imports.masks: how many masks an import handed to the labels side.
 * - slice_counts: the number of slices per (supervision, cohort), kept by statement-level triggers,
 *   so the catalog's facet counts cost a few rows instead of a scan of every slice.
 */
export class ImportMasksAndSliceCounts1764200000000 implements MigrationInterface {
  name = 'ImportMasksAndSliceCounts1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE imports ADD COLUMN masks integer NOT NULL DEFAULT 0');
    await q.query(`
      CREATE TABLE slice_counts (
        supervision  text NOT NULL,
        cohort       text NOT NULL,
        n            bigint NOT NULL,
        PRIMARY KEY (supervision, cohort)
      )`);
    await q.query(`
      INSERT INTO slice_counts (supervision, cohort, n)
      SELECT supervision, cohort, count(*) FROM slices GROUP BY 1, 2`);
    await q.query(`
      CREATE FUNCTION slice_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO slice_counts (supervision, cohort, n)
          SELECT supervision, cohort, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (supervision, cohort) DO UPDATE SET n = slice_counts.n + EXCLUDED.n;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO slice_counts (supervision, cohort, n)
          SELECT supervision, cohort, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (supervision, cohort) DO UPDATE SET n = slice_counts.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER slice_counts_insert AFTER INSERT ON slices
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION slice_counts_apply()`);
    await q.query(`
      CREATE TRIGGER slice_counts_update AFTER UPDATE ON slices
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION slice_counts_apply()`);
    await q.query(`
      CREATE TRIGGER slice_counts_delete AFTER DELETE ON slices
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION slice_counts_apply()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER slice_counts_delete ON slices');
    await q.query('DROP TRIGGER slice_counts_update ON slices');
    await q.query('DROP TRIGGER slice_counts_insert ON slices');
    await q.query('DROP FUNCTION slice_counts_apply');
    await q.query('DROP TABLE slice_counts');
    await q.query('ALTER TABLE imports DROP COLUMN masks');
  }
}
