import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training: runs on a release, their metrics and artifacts (blobs), the models they register, the
 * evaluations of those models, and prediction batches whose outputs are model-authored draft masks.
 */
export class Training1764500000000 implements MigrationInterface {
  name = 'Training1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runs (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        release_id         uuid NOT NULL REFERENCES releases (id),
        config             jsonb NOT NULL,
        status             text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        cancel_requested   boolean NOT NULL DEFAULT false,
        worker_host        text,
        device             text,
        gpus               text,
        progress           jsonb,
        resumed_from_step  integer,
        error              text,
        log_tail           jsonb NOT NULL DEFAULT '[]',
        job_id             text NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        started_at         timestamptz,
        finished_at        timestamptz
      )`);
    await q.query('CREATE INDEX runs_created_idx ON runs (created_at DESC)');
    await q.query(`
      CREATE TABLE run_metrics (
        id           bigserial PRIMARY KEY,
        run_id       uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        step         integer,
        epoch        real,
        name         text NOT NULL,
        value        double precision,
        split        text NOT NULL CHECK (split IN ('train', 'val', 'test')),
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX run_metrics_run_idx ON run_metrics (run_id, id)');
    await q.query(`
      CREATE TABLE run_artifacts (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id      uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        kind        text NOT NULL CHECK (kind IN ('checkpoint', 'model', 'onnx', 'report', 'overlay', 'config')),
        name        text NOT NULL,
        blob        char(64) NOT NULL REFERENCES blobs (sha256),
        step        integer,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (run_id, kind, name)
      )`);
    await q.query(`
      CREATE TABLE models (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL,
        version       integer NOT NULL CHECK (version >= 1),
        run_id        uuid NOT NULL UNIQUE REFERENCES runs (id),
        release_id    uuid NOT NULL REFERENCES releases (id),
        architecture  text NOT NULL,
        blob          char(64) NOT NULL REFERENCES blobs (sha256),
        metrics       jsonb NOT NULL DEFAULT '{}',
        stage         text NOT NULL DEFAULT 'candidate' CHECK (stage IN ('candidate', 'production', 'archived')),
        created_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name, version)
      )`);
    await q.query(`
      CREATE TABLE evaluations (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id     uuid NOT NULL REFERENCES models (id),
        release_id   uuid NOT NULL REFERENCES releases (id),
        split        text NOT NULL CHECK (split IN ('train', 'val', 'test')),
        status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        report       jsonb,
        slices       jsonb NOT NULL DEFAULT '[]',
        overlays     jsonb NOT NULL DEFAULT '[]',
        error        text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz
      )`);
    await q.query('CREATE INDEX evaluations_model_idx ON evaluations (model_id)');
    await q.query(`
      CREATE TABLE prediction_batches (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id     uuid NOT NULL REFERENCES models (id),
        selection    jsonb NOT NULL,
        gradcam      boolean NOT NULL DEFAULT true,
        status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        slices       integer NOT NULL DEFAULT 0,
        error        text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz
      )`);
    // One output per slice and batch: the draft revision, its Grad-CAM map and the uncertainty.
    await q.query(`
      CREATE TABLE slice_predictions (
        batch_id           uuid NOT NULL REFERENCES prediction_batches (id),
        slice_id           uuid NOT NULL REFERENCES slices (id),
        revision_id        uuid REFERENCES mask_revisions (id),
        covid_probability  double precision,
        uncertainty        double precision,
        gradcam_blob       char(64) REFERENCES blobs (sha256),
        PRIMARY KEY (batch_id, slice_id)
      )`);
    await q.query('CREATE INDEX slice_predictions_slice_idx ON slice_predictions (slice_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['slice_predictions', 'prediction_batches', 'evaluations', 'models', 'run_artifacts', 'run_metrics', 'runs']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
