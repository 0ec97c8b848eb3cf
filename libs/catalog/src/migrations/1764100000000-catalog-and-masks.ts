import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog (patients, scans, slices, imports). Slices carry their patient's cohort and their
 * derived supervision kind so the catalog's filters need no join; both are kept current by the code
 * that changes their sources (a patient label, a mask revision). It also created mask_revisions
 * once; that part is labels' MaskRevisions1764100000001 now. The name stays, so databases that ran it
 * do not run it again.
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE slices');
    await q.query('DROP TABLE scans');
    await q.query('DROP TABLE patients');
    await q.query('DROP TABLE imports');
  }
}
