'use client';

import Link from 'next/link';
import type { Run } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { usePolled } from '../releases/use-polled';
import { RunComparePicker } from './run-compare';

const active = (list: { items: Run[] }) => list.items.some((r) => r.status === 'queued' || r.status === 'running');

/** Every run, newest first; polls while any is queued or running. */
export function RunList() {
  const { data, error } = usePolled('runs', () => dataOf(api.GET('/api/runs')), active);
  if (error) return <div className="card muted">Cannot list runs: {error}</div>;
  if (data && data.items.length === 0) return <div className="card muted">No training runs yet.</div>;
  return (
    <>
      <RunComparePicker runs={data?.items ?? []} />
      <table className="card" data-testid="run-list">
        <thead>
          <tr><th>run</th><th>model</th><th>status</th><th>device</th><th>step</th><th>loss</th><th>img/s</th><th>created</th></tr>
        </thead>
        <tbody>
          {data?.items.map((run) => (
            <tr key={run.id}>
              <td><Link href={`/runs/${run.id}`}>{run.id.slice(0, 8)}</Link></td>
              <td>{run.config.model}</td>
              <td>{run.status}</td>
              <td>{run.device ?? ''}</td>
              <td>{run.progress ? `${run.progress.step}/${run.progress.totalSteps}` : ''}</td>
              <td>{run.progress?.loss?.toFixed(4) ?? ''}</td>
              <td>{run.progress?.imagesPerS.toFixed(1) ?? ''}</td>
              <td>{new Date(run.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
