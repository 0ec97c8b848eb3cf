import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Releases: immutable, versioned dataset snapshots. A release is written while `building` and frozen
 * when it becomes `ready`; from then on the database itself refuses to change it or its items.
 * It also added slices.phash once; that is catalog's 1764400000001-slice-phash now.
 */
export class Releases1764400000000 implements MigrationInterface {
  name = 'Releases1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE releases (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name           text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$'),
        version        integer NOT NULL CHECK (version >= 1),
        description    text NOT NULL DEFAULT '',
        status         text NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'ready', 'failed')),
        params         jsonb NOT NULL,
        digest         char(64),
        manifest_blob  char(64) REFERENCES blobs (sha256),
        summary_blob   char(64) REFERENCES blobs (sha256),
        summary        jsonb,
        error          text,
        job_id         text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        finished_at    timestamptz,
        UNIQUE (name, version),
        CHECK (status <> 'ready' OR (digest IS NOT NULL AND manifest_blob IS NOT NULL AND summary IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE release_items (
        release_id        uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
        slice_id          uuid NOT NULL REFERENCES slices (id),
        patient_id        uuid NOT NULL REFERENCES patients (id),
        split             text NOT NULL CHECK (split IN ('train', 'val', 'test')),
        supervision       text NOT NULL CHECK (supervision IN ('pixel', 'patient', 'negative', 'none')),
        label             text NOT NULL CHECK (label IN ('covid', 'negative', 'unknown')),
        mask_revision_id  uuid REFERENCES mask_revisions (id),
        label_revision_id uuid REFERENCES label_revisions (id),
        image_sha256      char(64) NOT NULL,
        mask_sha256       char(64),
        PRIMARY KEY (release_id, slice_id)
      )`);
    await q.query('CREATE INDEX release_items_split_idx ON release_items (release_id, split, patient_id)');
    await q.query(`
      CREATE TABLE mask_revision_pngs (
        revision_id  uuid PRIMARY KEY REFERENCES mask_revisions (id),
        png_sha256   char(64) NOT NULL REFERENCES blobs (sha256)
      )`);
    await q.query(`
      CREATE TABLE release_exports (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        release_id   uuid NOT NULL REFERENCES releases (id),
        format       text NOT NULL CHECK (format IN ('coco', 'png', 'csv')),
        status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        files        jsonb NOT NULL DEFAULT '[]',
        archive_key  text,
        error        text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        UNIQUE (release_id, format)
      )`);
    await q.query(`
      CREATE FUNCTION refuse_ready_release_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'releases' THEN
          IF OLD.status = 'ready' THEN
            RAISE EXCEPTION 'release % is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF EXISTS (SELECT 1 FROM releases WHERE id = COALESCE(NEW.release_id, OLD.release_id) AND status = 'ready') THEN
          RAISE EXCEPTION 'release % is immutable', COALESCE(NEW.release_id, OLD.release_id) USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`
      CREATE TRIGGER releases_immutable BEFORE UPDATE OR DELETE ON releases
      FOR EACH ROW EXECUTE FUNCTION refuse_ready_release_change()`);
    await q.query(`
      CREATE TRIGGER release_items_immutable BEFORE UPDATE OR DELETE ON release_items
      FOR EACH ROW EXECUTE FUNCTION refuse_ready_release_change()`);
    // Inserts are checked once per statement (a release writes its items in large batches).
    await q.query(`
      CREATE FUNCTION refuse_items_into_ready_release() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE frozen uuid;
      BEGIN
        SELECT r.id INTO frozen FROM releases r WHERE r.status = 'ready' AND r.id IN (SELECT DISTINCT release_id FROM new_items) LIMIT 1;
        IF frozen IS NOT NULL THEN
          RAISE EXCEPTION 'release % is immutable', frozen USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER release_items_insert_guard AFTER INSERT ON release_items
      REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION refuse_items_into_ready_release()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE release_exports');
    await q.query('DROP TABLE mask_revision_pngs');
    await q.query('DROP TABLE release_items');
    await q.query('DROP TABLE releases');
    await q.query('DROP FUNCTION refuse_ready_release_change');
    await q.query('DROP FUNCTION refuse_items_into_ready_release');
  }
}
