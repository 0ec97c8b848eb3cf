import { Injectable } from '@nestjs/common';
import type { Evaluation, Model, TrainerModel } from '@lesionlab/contracts';
import { insertBlobRows, type BlobRow } from '@lesionlab/platform';
import { DataSource } from 'typeorm';

interface ModelRow {
  id: string;
  name: string;
  version: number;
  run_id: string;
  release_id: string;
  architecture: TrainerModel;
  blob: string;
  metrics: Model['metrics'];
  stage: Model['stage'];
  evaluations: Model['evaluations'];
  init_model_id: string | null;
  created_at: Date;
}

const SELECT_MODEL = `
  SELECT m.*, COALESCE((SELECT json_agg(json_build_object('id', e.id, 'split', e.split, 'status', e.status) ORDER BY e.created_at)
                          FROM evaluations e WHERE e.model_id = m.id), '[]') AS evaluations,
         (SELECT r.config->>'initModelId' FROM runs r WHERE r.id = m.run_id) AS init_model_id
    FROM models m`;

function toModel(row: ModelRow): Model {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    runId: row.run_id,
    releaseId: row.release_id,
    architecture: row.architecture,
    sha256: row.blob.trim(),
    metrics: row.metrics,
    stage: row.stage,
    evaluations: row.evaluations,
    initModelId: row.init_model_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** Registered models: one per finished run, versioned per name. */
@Injectable()
export class ModelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers the run's model (once: a retried registration returns the first) and marks the run
   * succeeded, in one transaction.
   */
  /**
   * Registers a run's model and marks the run `succeeded`, in one transaction; `evaluateOn` adds the model's
   * first evaluation (queued) in that transaction too, so no one sees a succeeded run whose evaluation is missing.
   */
  async register(input: {
    runId: string;
    releaseId: string;
    name: string;
    architecture: TrainerModel;
    blob: BlobRow;
    metrics: Model['metrics'];
    logTail: string[];
    evaluateOn?: { releaseId: string; split: Evaluation['split'] };
  }): Promise<Model> {
    const id = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`model:${input.name}`]);
      await insertBlobRows(manager, [input.blob]);
      const [row] = await manager.query(
        `INSERT INTO models (name, version, run_id, release_id, architecture, blob, metrics)
         VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM models WHERE name = $1), $2, $3, $4, $5, $6)
         ON CONFLICT (run_id) DO UPDATE SET run_id = EXCLUDED.run_id RETURNING id`,
        [input.name, input.runId, input.releaseId, input.architecture, input.blob.sha256, JSON.stringify(input.metrics)],
      );
      if (input.evaluateOn) {
        await manager.query(
          `INSERT INTO evaluations (model_id, release_id, split) SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM evaluations WHERE model_id = $1)`,
          [row.id, input.evaluateOn.releaseId, input.evaluateOn.split],
        );
      }
      await manager.query(`UPDATE runs SET status = 'succeeded', error = NULL, log_tail = $2, finished_at = now() WHERE id = $1`, [input.runId, JSON.stringify(input.logTail)]);
      return row.id as string;
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Model | null> {
    const [row] = await this.dataSource.query(`${SELECT_MODEL} WHERE m.id = $1`, [id]);
    return row ? toModel(row) : null;
  }

  /** Sets the stage; production is held by one version per name, so promoting one archives the previous one. */
  async setStage(id: string, stage: Model['stage']): Promise<Model | null> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const [model] = await manager.query('SELECT name FROM models WHERE id = $1 FOR UPDATE', [id]);
      if (!model) return false;
      if (stage === 'production') {
        await manager.query(`UPDATE models SET stage = 'archived' WHERE name = $1 AND stage = 'production' AND id <> $2`, [model.name, id]);
      }
      await manager.query('UPDATE models SET stage = $2 WHERE id = $1', [id, stage]);
      return true;
    });
    return changed ? this.get(id) : null;
  }

  async list(limit = 200): Promise<Model[]> {
    const rows: ModelRow[] = await this.dataSource.query(`${SELECT_MODEL} ORDER BY m.created_at DESC LIMIT $1`, [limit]);
    return rows.map(toModel);
  }
}
