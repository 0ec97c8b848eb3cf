'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Run } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { formatDuration } from '../../lib/runs/duration';
import { Pager, usePage } from '../account/pager';
import { usePolled } from '../releases/use-polled';
import { isLive, RunStatusBadge } from './run-status';
import { overallSteps, stagesOf } from '../../lib/runs/recipe-progress';
import styles from './runs.module.css';

const PAGE_SIZE = 20;
const anyLive = (list: { items: Run[] }) => list.items.some(isLive);

function RunRow({ run, chosen, onChoose }: { run: Run; chosen: boolean; onChoose: (on: boolean) => void }) {
  const p = run.progress;
  const steps = overallSteps(run, stagesOf(run));
  return (
    <tr data-testid="run-row" data-run-id={run.id}>
      <td><input type="checkbox" checked={chosen} onChange={(e) => onChoose(e.target.checked)} aria-label={`Compare run ${run.id.slice(0, 8)}`} /></td>
      <td><Link href={`/runs/${run.id}`}>{run.id.slice(0, 8)}</Link></td>
      <td>{run.config.recipe ? `${run.config.recipe} recipe` : run.config.model}</td>
      <td><Link href={`/releases/${run.releaseId}`}>{run.releaseId.slice(0, 8)}</Link></td>
      <td><RunStatusBadge status={run.status} /></td>
      <td>
        {steps ? <progress className={styles.miniProgress} max={steps.total} value={steps.done} aria-label="Steps done" /> : null} {steps ? `${steps.done}/${steps.total}` : ''}
        {isLive(run) && p?.etaS != null && <span className="muted"> · {formatDuration(p.etaS)} left</span>}
      </td>
      <td>{p?.loss != null ? Number(p.loss.toPrecision(4)) : ''}</td>
      <td>{p ? p.imagesPerS.toFixed(1) : ''}</td>
      <td>{new Date(run.createdAt).toLocaleString()}</td>
    </tr>
  );
}

/** Every run, newest first, a page at a time; polls while any is queued or running; tick runs to compare them. */
export function RunList() {
  const router = useRouter();
  const { data, error } = usePolled('runs', () => dataOf(api.GET('/api/runs')), anyLive);
  const [chosen, setChosen] = useState<string[]>([]);
  const pager = usePage(data?.items ?? [], PAGE_SIZE);
  const compare = () => router.push(`/runs/compare?ids=${chosen.join(',')}`);
  return (
    <div className="stack">
      <div className={styles.toolbar}>
        <Link href="/runs/new" className={styles.linkButton} data-testid="new-run">New training run…</Link>
        <span className={styles.grow} />
        <span className="muted">{chosen.length < 2 ? 'Tick two or more runs to compare their curves.' : `${chosen.length} runs ticked`}</span>
        <button type="button" disabled={chosen.length < 2} onClick={compare} data-testid="compare-runs">Compare</button>
      </div>
      {error && <div className="card form-error" role="alert">Cannot list runs: {error}</div>}
      {!data && !error && <div className="card muted">Loading runs…</div>}
      {data && data.items.length === 0 && <div className="card muted">No training runs yet. Start one here or from a release with “Train on this release”.</div>}
      {data && data.items.length > 0 && (
        <div className="card">
          <table className={styles.table} data-testid="run-list">
            <thead>
              <tr><th /><th>run</th><th>preset</th><th>release</th><th>status</th><th>progress</th><th>loss</th><th>images/s</th><th>created</th></tr>
            </thead>
            <tbody>
              {pager.rows.map((run) => (
                <RunRow key={run.id} run={run} chosen={chosen.includes(run.id)} onChoose={(on) => setChosen((ids) => (on ? [...ids, run.id] : ids.filter((x) => x !== run.id)))} />
              ))}
            </tbody>
          </table>
          <Pager {...pager} noun="runs" />
        </div>
      )}
    </div>
  );
}
