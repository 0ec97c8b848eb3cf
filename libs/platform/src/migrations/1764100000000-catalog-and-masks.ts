import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog (patients, scans, slices, imports) and mask revisions. Slices carry their patient's
 * cohort and their derived supervision kind so the catalog's filters need no join; both are kept
 * current by the code that changes their sources (a patient label, a mask revision).
 */
export class CatalogAndMasks1764100000000 implements MigrationInterface {
  name = 'CatalogAndMasks1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source       text NOT NULL,
        format       text NOT NULL CHECK (format IN ('covid-cs', 'manifest', 'nifti', 'dicom', 'images')),
        options      jsonb NOT NULL DEFAULT '{}',
        status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        found        integer NOT NULL DEFAULT 0,
        imported     integer NOT NULL DEFAULT 0,
        duplicates   integer NOT NULL DEFAULT 0,
        failed       integer NOT NULL DEFAULT 0,
        failures     jsonb NOT NULL DEFAULT '[]',
        timings      jsonb NOT NULL DEFAULT '{}',
        error        text,
        job_id       text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        started_at   timestamptz,
        finished_at  timestamptz
      )`);
    await q.query(`
      CREATE TABLE patients (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        collection    text NOT NULL,
        external_id   text NOT NULL,
        label         text NOT NULL DEFAULT 'unknown' CHECK (label IN ('covid', 'negative', 'unknown')),
        label_source  text,
        metadata      jsonb NOT NULL DEFAULT '{}',
        created_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (collection, external_id)
      )`);
    await q.query(`
      CREATE TABLE scans (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id        uuid NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
        series_key        text NOT NULL,
        study_uid         text,
        series_uid        text,
        slice_spacing_mm  real CHECK (slice_spacing_mm > 0),
        pixel_spacing_mm  real[] CHECK (pixel_spacing_mm IS NULL OR cardinality(pixel_spacing_mm) = 2),
        metadata          jsonb NOT NULL DEFAULT '{}',
        created_at        timestamptz NOT NULL DEFAULT now(),
        UNIQUE (patient_id, series_key)
      )`);
    await q.query(`
      CREATE TABLE slices (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        scan_id               uuid NOT NULL REFERENCES scans (id) ON DELETE RESTRICT,
        patient_id            uuid NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
        slice_index           integer NOT NULL CHECK (slice_index >= 0),
        width                 integer NOT NULL CHECK (width > 0),
        height                integer NOT NULL CHECK (height > 0),
        bit_depth             smallint NOT NULL CHECK (bit_depth IN (8, 16)),
        pixel_representation  smallint NOT NULL DEFAULT 0 CHECK (pixel_representation IN (0, 1)),
        rescale_slope         real NOT NULL DEFAULT 1,
        rescale_intercept     real NOT NULL DEFAULT 0,
        window_center         real,
        window_width          real CHECK (window_width > 0),
        pixel_blob            char(64) NOT NULL REFERENCES blobs (sha256),
        thumbnail_blob        char(64) REFERENCES blobs (sha256),
        original_blob         char(64) REFERENCES blobs (sha256),
        source_name           text,
        cohort                text NOT NULL DEFAULT 'unknown' CHECK (cohort IN ('covid', 'negative', 'unknown')),
        supervision           text NOT NULL DEFAULT 'none' CHECK (supervision IN ('pixel', 'patient', 'negative', 'none')),
        import_id             uuid REFERENCES imports (id) ON DELETE SET NULL,
        created_at            timestamptz NOT NULL DEFAULT now(),
        UNIQUE (scan_id, slice_index)
      )`);
    await q.query('CREATE INDEX slices_patient_idx ON slices (patient_id, slice_index)');
    await q.query('CREATE INDEX slices_supervision_cohort_idx ON slices (supervision, cohort, id)');
    await q.query('CREATE INDEX slices_cohort_idx ON slices (cohort, id)');
    await q.query('CREATE INDEX slices_import_idx ON slices (import_id, id)');
    await q.query('CREATE INDEX slices_pixel_blob_idx ON slices (pixel_blob)');
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
    // Revisions are append-only: the database refuses to change or delete one.
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
    await q.query('DROP TABLE slices');
    await q.query('DROP TABLE scans');
    await q.query('DROP TABLE patients');
    await q.query('DROP TABLE imports');
  }
}
