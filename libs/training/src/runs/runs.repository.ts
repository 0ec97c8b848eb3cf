import { Injectable } from '@nestjs/common';
import type { CreateRun, Run, RunArtifact, RunMetric, RunProgress, RunStatus } from '@lesionlab/contracts';
import { insertBlobRows, type BlobRow } from '@lesionlab/platform';
import { DataSource } from 'typeorm';
import { runStages, type ObservedStage } from './run-stages';

interface RunRow {
  id: string;
  release_id: string;
  config: CreateRun;
  status: RunStatus;
  cancel_requested: boolean;
  worker_host: string | null;
  device: string | null;
  gpus: string | null;
  progress: RunProgress | null;
  resumed_from_step: number | null;
  error: string | null;
  log_tail: string[];
  stages: ObservedStage[];
  job_id: string;
  model_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const SELECT_RUN = `SELECT r.*, m.id AS model_id FROM runs r LEFT JOIN models m ON m.run_id = r.id`;

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    releaseId: row.release_id,
    config: row.config,
    status: row.status,
    device: row.device,
    workerHost: row.worker_host,
    gpus: row.gpus,
    progress: row.progress,
    resumedFromStep: row.resumed_from_step,
    error: row.error,
    logTail: row.log_tail,
    stages: runStages(row.config, row.stages),
    modelId: row.model_id,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export interface RunState {
  run: Run;
  cancelRequested: boolean;
}

/** Runs, their metrics and their artifacts. */
@Injectable()
export class RunsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(id: string, config: CreateRun, jobId: string): Promise<Run> {
    const [row] = await this.dataSource.query(`INSERT INTO runs (id, release_id, config, job_id) VALUES ($1, $2, $3, $4) RETURNING *, NULL AS model_id`, [
      id,
      config.releaseId,
      JSON.stringify(config),
      jobId,
    ]);
    return toRun(row);
  }

  async get(id: string): Promise<Run | null> {
    return (await this.state(id))?.run ?? null;
  }

  async state(id: string): Promise<RunState | null> {
    const [row]: RunRow[] = await this.dataSource.query(`${SELECT_RUN} WHERE r.id = $1`, [id]);
    return row ? { run: toRun(row), cancelRequested: row.cancel_requested } : null;
  }

  async list(limit = 200): Promise<Run[]> {
    const rows: RunRow[] = await this.dataSource.query(`${SELECT_RUN} ORDER BY r.created_at DESC LIMIT $1`, [limit]);
    return rows.map(toRun);
  }

  /** A queued run is cancelled at once; a running one is flagged for its worker, which stops the trainer. */
  async requestCancel(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE runs SET cancel_requested = true,
              status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
              finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
  }

  async markRunning(id: string, placement: { workerHost: string; device: string; gpus: string | null }): Promise<void> {
    await this.dataSource.query(`UPDATE runs SET status = 'running', worker_host = $2, device = $3, gpus = $4, started_at = COALESCE(started_at, now()), error = NULL WHERE id = $1`, [
      id,
      placement.workerHost,
      placement.device,
      placement.gpus,
    ]);
  }

  async finish(id: string, status: 'succeeded' | 'failed' | 'cancelled', error: string | null, logTail: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE runs SET status = $2, error = $3, log_tail = $4, finished_at = now() WHERE id = $1`, [id, status, error, JSON.stringify(logTail)]);
  }

  async setProgress(id: string, progress: RunProgress, logTail: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE runs SET progress = $2, log_tail = $3 WHERE id = $1`, [id, JSON.stringify(progress), JSON.stringify(logTail)]);
  }

  async setStages(id: string, stages: ObservedStage[]): Promise<void> {
    await this.dataSource.query(`UPDATE runs SET stages = $2 WHERE id = $1`, [id, JSON.stringify(stages)]);
  }

  /** Work past the restored checkpoint was lost with its worker: its metrics go too. */
  async resumeFrom(id: string, step: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM run_metrics WHERE run_id = $1 AND step > $2', [id, step]);
      await manager.query('UPDATE runs SET resumed_from_step = $2 WHERE id = $1', [id, step]);
    });
  }

  async addMetrics(runId: string, metrics: Array<Omit<RunMetric, 'id'>>): Promise<void> {
    if (!metrics.length) return;
    await this.dataSource.query(
      `INSERT INTO run_metrics (run_id, step, epoch, name, value, split)
       SELECT $1, * FROM unnest($2::int[], $3::real[], $4::text[], $5::float8[], $6::text[])`,
      [runId, metrics.map((m) => m.step), metrics.map((m) => m.epoch), metrics.map((m) => m.name), metrics.map((m) => m.value), metrics.map((m) => m.split)],
    );
  }

  /** Metrics in the order they were recorded, after the given id (for live streams). */
  async metrics(runId: string, afterId = 0): Promise<RunMetric[]> {
    const rows = await this.dataSource.query(`SELECT id, step, epoch, name, value, split FROM run_metrics WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT 10000`, [runId, afterId]);
    return rows.map((r: { id: string; step: number | null; epoch: number | null; name: string; value: number | null; split: RunMetric['split'] }) => ({ ...r, id: Number(r.id) }));
  }

  /** Records a stored blob as an artifact of the run (blob row first, in the same transaction). */
  async addArtifact(runId: string, kind: string, name: string, blob: BlobRow, step: number | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await insertBlobRows(manager, [blob]);
      await manager.query(
        `INSERT INTO run_artifacts (run_id, kind, name, blob, step) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (run_id, kind, name) DO UPDATE SET blob = EXCLUDED.blob, step = EXCLUDED.step, created_at = now()`,
        [runId, kind, name, blob.sha256, step],
      );
    });
  }

  async artifacts(runId: string): Promise<RunArtifact[]> {
    const rows = await this.dataSource.query(
      `SELECT a.id, a.kind, a.name, a.blob, b.size, a.step, a.created_at FROM run_artifacts a JOIN blobs b ON b.sha256 = a.blob WHERE a.run_id = $1 ORDER BY a.created_at, a.name`,
      [runId],
    );
    return rows.map((r: { id: string; kind: string; name: string; blob: string; size: string; step: number | null; created_at: Date }) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      sha256: r.blob.trim(),
      size: Number(r.size),
      step: r.step,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** The newest uploaded checkpoint: where a replacement worker continues. */
  async lastCheckpoint(runId: string): Promise<{ sha256: string; step: number; name: string } | null> {
    const [row] = await this.dataSource.query(`SELECT blob, step, name FROM run_artifacts WHERE run_id = $1 AND kind = 'checkpoint' ORDER BY step DESC LIMIT 1`, [runId]);
    return row ? { sha256: row.blob.trim(), step: row.step, name: row.name } : null;
  }
}
