'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { Run, RunArtifact, RunEvent, RunMetric } from '@lesionlab/contracts';
import { MetricChart, seriesByName } from './metric-chart';

type RunDetail = Run & { metrics: RunMetric[]; artifacts: RunArtifact[] };

/** A run, live: metrics and state arrive over server-sent events; curves per metric, log tail, artifacts. */
export function RunView({ id }: { id: string }) {
  const [run, setRun] = useState<RunDetail | null>(null);
  const [metrics, setMetrics] = useState<RunMetric[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const source = new EventSource(`/api/runs/${id}/events`);
    const seen = new Set<number>();
    source.addEventListener('metrics', (e) => {
      const event = JSON.parse((e as MessageEvent).data) as Extract<RunEvent, { type: 'metrics' }>;
      const fresh = event.metrics.filter((m) => !seen.has(m.id));
      fresh.forEach((m) => seen.add(m.id));
      setMetrics((all) => [...all, ...fresh]);
    });
    source.addEventListener('run', () => {
      fetch(`/api/runs/${id}`).then(async (r) => (r.ok ? setRun(await r.json()) : setError(`${r.status}`)), (e: Error) => setError(e.message));
    });
    source.onerror = () => source.close();
    return () => source.close();
  }, [id]);

  if (error) return <div className="card muted">Cannot load the run: {error}</div>;
  if (!run) return <div className="card muted">Loading…</div>;
  const series = seriesByName(metrics);
  const p = run.progress;
  return (
    <>
      <div className="card kv" data-testid="run-summary">
        <b>{run.status}</b> · {run.config.model} on {run.device ?? 'a worker'} · step {p ? `${p.step}/${p.totalSteps}` : '–'} · {p ? `${p.imagesPerS.toFixed(1)} img/s` : ''}
        {p?.etaS != null && ` · ETA ${Math.round(p.etaS)} s`}
        {run.resumedFromStep !== null && ` · resumed from step ${run.resumedFromStep}`}
        {run.modelId && (
          <>
            {' '}· <Link href={`/models/${run.modelId}`}>model</Link>
          </>
        )}
      </div>
      {run.error && <div className="form-error">{run.error}</div>}
      {[...series].map(([name, points]) => (
        <MetricChart key={name} name={name} series={[{ label: run.id.slice(0, 8), metrics: points }]} />
      ))}
      <h2>Log</h2>
      <pre className="card" data-testid="run-log">{run.logTail.join('\n')}</pre>
      <h2>Artifacts</h2>
      <ul className="card">
        {run.artifacts.map((a) => (
          <li key={a.id}>
            {a.kind} <code>{a.name}</code> · {(a.size / 1024).toFixed(0)} KiB {a.step !== null && `· step ${a.step}`} · <code title={a.sha256}>{a.sha256.slice(0, 12)}</code>
          </li>
        ))}
      </ul>
    </>
  );
}
