import { Injectable } from '@nestjs/common';
import type { Evaluation, EvaluationOverlay, JobStatus } from '@lesionlab/contracts';
import { insertBlobRows, type BlobRow } from '@lesionlab/platform';
import { DataSource } from 'typeorm';

interface EvaluationRow {
  id: string;
  model_id: string;
  release_id: string;
  split: Evaluation['split'];
  status: JobStatus;
  report: Evaluation['report'];
  slices: Evaluation['slices'];
  /** Evaluations stored before the worst slices were drawn apart hold one sha256 per slice. */
  overlays: Array<EvaluationOverlay | string>;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

function toEvaluation(row: EvaluationRow): Evaluation {
  return {
    id: row.id,
    modelId: row.model_id,
    releaseId: row.release_id,
    split: row.split,
    status: row.status,
    report: row.report,
    slices: row.slices,
    overlays: row.overlays.map((overlay) => (typeof overlay === 'string' ? { sliceId: null, dice: null, images: { overlay } } : overlay)),
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** Evaluations of models on a release split: the trainer's report, per-slice results and overlays. */
@Injectable()
export class EvaluationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(modelId: string, releaseId: string, split: Evaluation['split']): Promise<Evaluation> {
    const [row] = await this.dataSource.query(`INSERT INTO evaluations (model_id, release_id, split) VALUES ($1, $2, $3) RETURNING *`, [modelId, releaseId, split]);
    return toEvaluation(row);
  }

  async get(id: string): Promise<Evaluation | null> {
    const [row] = await this.dataSource.query('SELECT * FROM evaluations WHERE id = $1', [id]);
    return row ? toEvaluation(row) : null;
  }

  async markRunning(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE evaluations SET status = 'running', error = NULL WHERE id = $1`, [id]);
  }

  /** `blobs`: the stored drawings the overlays name, recorded with the evaluation. */
  async succeed(id: string, result: { report: Record<string, unknown>; slices: Evaluation['slices']; overlays: EvaluationOverlay[]; blobs: BlobRow[] }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await insertBlobRows(manager, result.blobs);
      await manager.query(`UPDATE evaluations SET status = 'succeeded', report = $2, slices = $3, overlays = $4, finished_at = now() WHERE id = $1`, [
        id,
        JSON.stringify(result.report),
        JSON.stringify(result.slices),
        JSON.stringify(result.overlays),
      ]);
    });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE evaluations SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, error]);
  }
}
