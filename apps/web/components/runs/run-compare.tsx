'use client';

import Link from 'next/link';
import type { Run, RunMetric } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { usePolled } from '../releases/use-polled';
import { MetricChart, seriesByName } from './metric-chart';

type RunDetail = Run & { metrics: RunMetric[] };

const live = (run: RunDetail) => run.status === 'queued' || run.status === 'running';

/** A run's parameters as flat `key → value` rows (settings as `settings.<name>`). */
function params(run: RunDetail): Map<string, string> {
  const { settings, ...config } = run.config;
  const rows = new Map<string, string>([['release', run.releaseId], ['status', run.status], ['device', run.device ?? ''], ['steps done', String(run.progress?.step ?? '')]]);
  for (const [key, value] of Object.entries(config)) rows.set(key, String(value ?? ''));
  for (const [key, value] of Object.entries(settings)) rows.set(`settings.${key}`, String(value));
  return rows;
}

/** Two runs side by side: their parameters (differences marked) and every metric's curves overlaid. */
export function RunCompare({ a, b }: { a: string; b: string }) {
  const left = usePolled(`run ${a}`, () => dataOf(api.GET('/api/runs/{id}', { params: { path: { id: a } } })), live);
  const right = usePolled(`run ${b}`, () => dataOf(api.GET('/api/runs/{id}', { params: { path: { id: b } } })), live);
  const error = left.error ?? right.error;
  if (error) return <div className="card muted">Cannot load the runs: {error}</div>;
  if (!left.data || !right.data) return <div className="card muted">Loading…</div>;
  const [ra, rb] = [left.data, right.data];
  const [pa, pb] = [params(ra), params(rb)];
  const keys = [...new Set([...pa.keys(), ...pb.keys()])];
  const [sa, sb] = [seriesByName(ra.metrics), seriesByName(rb.metrics)];
  const names = [...new Set([...sa.keys(), ...sb.keys()])];
  const label = (run: RunDetail) => run.id.slice(0, 8);
  return (
    <>
      <table className="card" data-testid="run-params">
        <thead>
          <tr>
            <th>parameter</th>
            <th><Link href={`/runs/${ra.id}`}>{label(ra)}</Link></th>
            <th><Link href={`/runs/${rb.id}`}>{label(rb)}</Link></th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key}>
              <td>{key}{pa.get(key) !== pb.get(key) && ' ≠'}</td>
              <td>{pa.get(key) ?? '–'}</td>
              <td>{pb.get(key) ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {names.map((name) => (
        <MetricChart key={name} name={name} series={[{ label: label(ra), metrics: sa.get(name) ?? [] }, { label: label(rb), metrics: sb.get(name) ?? [] }]} />
      ))}
    </>
  );
}

/** "Compare two runs": two selects and a plain GET form to /runs/compare?a=&b=. */
export function RunComparePicker({ runs }: { runs: Run[] }) {
  if (runs.length < 2) return null;
  const options = runs.map((r) => (
    <option key={r.id} value={r.id}>
      {r.id.slice(0, 8)} · {r.config.model} · {r.status}
    </option>
  ));
  return (
    <form className="card actions" action="/runs/compare" aria-label="Compare two runs">
      <select name="a" aria-label="First run" defaultValue={runs[0].id}>{options}</select>
      <select name="b" aria-label="Second run" defaultValue={runs[1].id}>{options}</select>
      <button type="submit">Compare</button>
    </form>
  );
}
