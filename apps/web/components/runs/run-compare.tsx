'use client';

import Link from 'next/link';
import { runDetailSchema, type RunDetail } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { usePolled } from '../releases/use-polled';
import { MetricCharts } from './metric-chart';
import { isLive, RunStatusBadge } from './run-status';
import { stagesOf } from '../../lib/runs/recipe-progress';
import styles from './runs.module.css';

const label = (run: RunDetail) => run.id.slice(0, 8);

/** A run's parameters as flat `key → value` rows (settings as `settings.<name>`). */
function params(run: RunDetail): Map<string, string> {
  const { settings, ...config } = run.config;
  const rows = new Map<string, string>([['release', run.releaseId.slice(0, 8)], ['device', run.device ?? ''], ['steps done', String(run.progress?.step ?? '')]]);
  for (const [key, value] of Object.entries(config)) if (key !== 'releaseId') rows.set(key, String(value ?? ''));
  for (const [key, value] of Object.entries(settings)) rows.set(`settings.${key}`, typeof value === 'object' ? JSON.stringify(value) : String(value));
  return rows;
}

/** Several runs: their parameters side by side (differences marked) and every quantity's curves overlaid on shared charts. */
export function RunCompare({ ids }: { ids: string[] }) {
  const key = ids.join(',');
  const { data: runs, error } = usePolled(
    `compare ${key}`,
    () => Promise.all(ids.map((id) => dataOf(api.GET('/api/runs/{id}', { params: { path: { id } } })).then((r) => runDetailSchema.parse(r)))),
    (loaded) => loaded.some(isLive),
  );
  if (error) return <div className="card form-error" role="alert">Cannot load the runs: {error}</div>;
  if (!runs) return <div className="card muted">Loading {ids.length} runs…</div>;
  const rows = runs.map(params);
  const keys = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  return (
    <div className="stack">
      <div className="card">
        <table className={styles.table} data-testid="run-params">
          <thead>
            <tr>
              <th>parameter</th>
              {runs.map((run) => (
                <th key={run.id}>
                  <Link href={`/runs/${run.id}`}>{label(run)}</Link> <RunStatusBadge status={run.status} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const values = rows.map((r) => r.get(k) ?? '–');
              const differs = new Set(values).size > 1;
              return (
                <tr key={k} className={differs ? 'row-warn' : undefined}>
                  <td>{k}{differs && ' ≠'}</td>
                  {values.map((v, i) => <td key={runs[i].id}>{v}</td>)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <MetricCharts runs={runs.map((run) => ({ label: label(run), metrics: run.metrics, stages: stagesOf(run) }))} live={runs.some(isLive)} />
    </div>
  );
}
