'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { runDetailSchema, runSchema, type Run, type RunArtifact, type RunEvent, type RunMetric } from '@lesionlab/contracts';
import { ApiError, api, dataOf, messageOf } from '../../lib/api';
import { finalScores } from '../../lib/runs/metric-series';
import { readServerSentEvents, type ServerSentEvent } from '../../lib/server-sent-events';
import { Pager, usePage } from '../account/pager';
import { StartedFrom } from '../models/started-from';
import { CancelRun } from './cancel-run';
import { MetricCharts } from './metric-chart';
import { isLive, RunProgress, RunStages, RunStatusBadge } from './run-status';
import { stagesOf } from '../../lib/runs/recipe-progress';
import styles from './runs.module.css';

/** Artifacts are read again at most this often while a run goes on (each read carries every metric). */
const ARTIFACTS_EVERY_MS = 15_000;

/** Ticks every second while `on`, for the elapsed time of a running run. */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [on]);
  return now;
}

function Artifacts({ artifacts }: { artifacts: RunArtifact[] }) {
  const pager = usePage(artifacts, 10);
  if (artifacts.length === 0) return <p className="card muted">No artifacts yet: checkpoints appear as the run saves them.</p>;
  return (
    <div className="card">
      <table className={styles.table} data-testid="run-artifacts">
        <thead>
          <tr><th>kind</th><th>name</th><th>size</th><th>step</th><th>sha256</th></tr>
        </thead>
        <tbody>
          {pager.rows.map((a) => (
            <tr key={a.id}>
              <td>{a.kind}</td>
              <td><code>{a.name}</code></td>
              <td>{(a.size / 1024 / 1024).toFixed(1)} MiB</td>
              <td>{a.step ?? '–'}</td>
              <td><code title={a.sha256}>{a.sha256.slice(0, 12)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager {...pager} noun="artifacts" />
    </div>
  );
}

function FinalScores({ metrics }: { metrics: RunMetric[] }) {
  const scores = finalScores(metrics);
  if (scores.length === 0) return null;
  return (
    <section className="card">
      <h3>Final scores</h3>
      <table className={styles.table} data-testid="run-final-scores">
        <tbody>
          {scores.map((s) => (
            <tr key={`${s.split}/${s.name}`}><td>{s.split}</td><td>{s.name}</td><td>{s.value === null ? '–' : Number(s.value.toPrecision(4))}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * A run, live: its state and metrics arrive over server-sent events; progress with ETA, charts per
 * quantity, cancel and re-run, log tail, artifacts.
 */
export function RunView({ id }: { id: string }) {
  const [run, setRun] = useState<Run | null>(null);
  const [artifacts, setArtifacts] = useState<RunArtifact[]>([]);
  const [metrics, setMetrics] = useState<RunMetric[]>([]);
  const [error, setError] = useState<string | null>(null);
  const lastRead = useRef({ at: 0, status: '' });

  useEffect(() => {
    const stop = new AbortController();
    const seen = new Set<number>();
    const readArtifacts = () => {
      lastRead.current.at = Date.now();
      dataOf(api.GET('/api/runs/{id}', { params: { path: { id } } })).then(
        (detail) => setArtifacts(runDetailSchema.parse(detail).artifacts),
        (e: unknown) => setError(messageOf(e)),
      );
    };
    const onEvent = ({ event, data }: ServerSentEvent) => {
      const parsed = JSON.parse(data) as RunEvent;
      if (event === 'metrics' && parsed.type === 'metrics') {
        const fresh = parsed.metrics.filter((m) => !seen.has(m.id));
        fresh.forEach((m) => seen.add(m.id));
        if (fresh.length) setMetrics((all) => [...all, ...fresh]);
      }
      if (event === 'run' && parsed.type === 'run') {
        const next = runSchema.parse(parsed.run);
        setRun(next);
        if (next.status !== lastRead.current.status || Date.now() - lastRead.current.at > ARTIFACTS_EVERY_MS) {
          lastRead.current.status = next.status;
          readArtifacts();
        }
      }
    };
    api
      .GET('/api/runs/{id}/events', { params: { path: { id } }, parseAs: 'stream', signal: stop.signal })
      .then(({ data: body }) => body && readServerSentEvents(body, onEvent))
      .catch((e: unknown) => e instanceof ApiError && setError(messageOf(e))); // else the stream ended or was stopped: what arrived stays shown
    return () => stop.abort();
  }, [id]);

  const now = useNow(run !== null && isLive(run));
  const stages = useMemo(() => (run ? stagesOf(run) : []), [run]);
  const charted = useMemo(() => [{ label: id.slice(0, 8), metrics, stages }], [id, metrics, stages]);
  if (error) return <div className="card form-error" role="alert">Cannot load run {id}: {error}</div>;
  if (!run) return <div className="card muted">Loading the run…</div>;
  return (
    <div className="stack">
      <section className={`card ${styles.summary}`} data-testid="run-summary">
        <div className={styles.summaryHead}>
          <RunStatusBadge status={run.status} />
          <b>{run.config.recipe ? `${run.config.recipe} recipe v${run.config.recipeVersion ?? ''}` : run.config.model}</b>
          {run.config.recipe && <span className="muted">({run.config.model})</span>}
          <span className="muted">
            on release <Link href={`/releases/${run.releaseId}`}>{run.releaseId.slice(0, 8)}</Link>
          </span>
        </div>
        <div className={styles.facts}>
          <span>device <b>{run.device ?? (run.status === 'queued' ? 'waiting for a worker' : '–')}</b></span>
          {run.gpus && <span>GPUs <b>{run.gpus}</b></span>}
          {run.workerHost && <span>worker <b>{run.workerHost}</b></span>}
          {run.config.initModelId ? <StartedFrom modelId={run.config.initModelId} /> : !run.config.recipe && <span>started from <b>the preset’s own weights</b></span>}
          <span>created <b>{new Date(run.createdAt).toLocaleString()}</b></span>
          {run.resumedFromStep !== null && <span>resumed from step <b>{run.resumedFromStep}</b></span>}
          {run.progress?.loss != null && <span>loss <b>{Number(run.progress.loss.toPrecision(4))}</b></span>}
        </div>
        <RunProgress run={run} stages={stages} now={now} />
        <RunStages stages={stages} />
        <div className={styles.actions}>
          {isLive(run) && <CancelRun runId={run.id} />}
          <Link href={`/runs/new?from=${run.id}`} data-testid="run-rerun">Re-run with these settings…</Link>
          {run.modelId && <Link href={`/models/${run.modelId}`} data-testid="run-model">Open the model →</Link>}
        </div>
      </section>
      {run.error && <div className="card form-error" data-testid="run-error">The run failed: {run.error}</div>}
      <MetricCharts runs={charted} live={isLive(run)} />
      <FinalScores metrics={metrics} />
      <section>
        <h2>Log</h2>
        <pre className={`card ${styles.log}`} data-testid="run-log">{run.logTail.length ? run.logTail.join('\n') : 'Nothing logged yet.'}</pre>
      </section>
      <section>
        <h2>Artifacts</h2>
        <Artifacts artifacts={artifacts} />
      </section>
    </div>
  );
}
