import { Injectable } from '@nestjs/common';
import type { JobStatus, PredictionBatch, PredictRequest, SlicePrediction } from '@lesionlab/contracts';
import { DataSource, type EntityManager } from 'typeorm';

interface BatchRow {
  id: string;
  model_id: string;
  selection: PredictRequest['selection'];
  gradcam: boolean;
  status: JobStatus;
  slices: number;
  drafts: string;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export type { SlicePrediction };

function toBatch(row: BatchRow): PredictionBatch {
  return {
    id: row.id,
    modelId: row.model_id,
    selection: row.selection,
    status: row.status,
    slices: row.slices,
    drafts: Number(row.drafts),
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

const SELECT_BATCH = `SELECT b.*, (SELECT count(*) FROM slice_predictions p WHERE p.batch_id = b.id AND p.revision_id IS NOT NULL) AS drafts FROM prediction_batches b`;

/** Prediction batches and their per-slice outputs. */
@Injectable()
export class PredictionBatchesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(modelId: string, request: PredictRequest): Promise<PredictionBatch> {
    const [{ id }] = await this.dataSource.query(`INSERT INTO prediction_batches (model_id, selection, gradcam) VALUES ($1, $2, $3) RETURNING id`, [
      modelId,
      JSON.stringify(request.selection),
      request.gradcam,
    ]);
    return (await this.get(id))!;
  }

  async get(id: string): Promise<PredictionBatch | null> {
    const [row] = await this.dataSource.query(`${SELECT_BATCH} WHERE b.id = $1`, [id]);
    return row ? toBatch(row) : null;
  }

  async request(id: string): Promise<{ modelId: string; request: PredictRequest } | null> {
    const [row] = await this.dataSource.query('SELECT model_id, selection, gradcam FROM prediction_batches WHERE id = $1', [id]);
    return row ? { modelId: row.model_id, request: { selection: row.selection, gradcam: row.gradcam } } : null;
  }

  async markRunning(id: string, slices: number): Promise<void> {
    await this.dataSource.query(`UPDATE prediction_batches SET status = 'running', slices = $2, error = NULL WHERE id = $1`, [id, slices]);
  }

  /** Slices of the batch that already have their outputs (a retried job skips them). */
  async doneSlices(batchId: string): Promise<Set<string>> {
    const rows = await this.dataSource.query('SELECT slice_id FROM slice_predictions WHERE batch_id = $1', [batchId]);
    return new Set(rows.map((r: { slice_id: string }) => r.slice_id));
  }

  async record(manager: EntityManager, batchId: string, prediction: SlicePrediction): Promise<void> {
    await manager.query(
      `INSERT INTO slice_predictions (batch_id, slice_id, revision_id, covid_probability, uncertainty, gradcam_blob) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [batchId, prediction.sliceId, prediction.revisionId, prediction.covidProbability, prediction.uncertainty, prediction.gradcamSha256],
    );
  }

  async finish(id: string, status: 'succeeded' | 'failed', error: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE prediction_batches SET status = $2, error = $3, finished_at = now() WHERE id = $1`, [id, status, error]);
  }

  async outputs(batchId: string): Promise<SlicePrediction[]> {
    const rows = await this.dataSource.query('SELECT slice_id, revision_id, covid_probability, uncertainty, gradcam_blob FROM slice_predictions WHERE batch_id = $1 ORDER BY slice_id', [batchId]);
    return rows.map((r: { slice_id: string; revision_id: string | null; covid_probability: number | null; uncertainty: number | null; gradcam_blob: string | null }) => ({
      sliceId: r.slice_id,
      revisionId: r.revision_id,
      covidProbability: r.covid_probability,
      uncertainty: r.uncertainty,
      gradcamSha256: r.gradcam_blob?.trim() ?? null,
    }));
  }
}
