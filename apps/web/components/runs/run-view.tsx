'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { runDetailSchema, type Run, type RunArtifact, type RunEvent, type RunMetric } from '@lesionlab/contracts';
import { ApiError, api, messageOf } from '../../lib/api';
import { readServerSentEvents, type ServerSentEvent } from '../../lib/server-sent-events';
import { MetricChart, seriesByName } from './metric-chart';

type RunDetail = Run & { metrics: RunMetric[]; artifacts: RunArtifact[] };

/** A run, live: metrics and state arrive over server-sent events; curves per metric, log tail, artifacts. */
export function RunView({ id }: { id: string }) {
  const [run, setRun] = useState<RunDetail | null>(null);
  const [metrics, setMetrics] = useState<RunMetric[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const stop = new AbortController();
    const seen = new Set<number>();
    const onEvent = ({ event, data }: ServerSentEvent) => {
      if (event === 'metrics') {
        const fresh = (JSON.parse(data) as Extract<RunEvent, { type: 'metrics' }>).metrics.filter((m) => !seen.has(m.id));
        fresh.forEach((m) => seen.add(m.id));
        setMetrics((all) => [...all, ...fresh]);
      }
      if (event === 'run') {
        api.GET('/api/runs/{id}', { params: { path: { id } } }).then(({ data: detail }) => setRun(runDetailSchema.parse(detail)), (e: unknown) => setError(messageOf(e)));
      }
    };
    api
      .GET('/api/runs/{id}/events', { params: { path: { id } }, parseAs: 'stream', signal: stop.signal })
      .then(({ data: body }) => body && readServerSentEvents(body, onEvent))
      .catch((e: unknown) => e instanceof ApiError && setError(messageOf(e))); // else the stream ended or was stopped: what arrived stays shown
    return () => stop.abort();
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
