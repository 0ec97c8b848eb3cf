import type { Run, RunStatus as Status } from '@lesionlab/contracts';
import { formatDuration } from '../../lib/runs/duration';
import styles from './runs.module.css';

const BADGE: Record<Status, string> = { queued: 'badge-wait', running: 'badge-wait', succeeded: 'badge-up', failed: 'badge-down', cancelled: 'badge-down' };

export const isLive = (run: Pick<Run, 'status'>): boolean => run.status === 'queued' || run.status === 'running';

/** queued / running / succeeded / failed / cancelled as a coloured badge. */
export function RunStatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge ${BADGE[status]}`} data-testid="run-status" data-status={status}>
      {status}
    </span>
  );
}

/** Steps done as a bar, with the share, throughput and the time left (or taken). */
export function RunProgress({ run, now }: { run: Run; now: number }) {
  const p = run.progress;
  const started = run.startedAt ? Date.parse(run.startedAt) : null;
  const ended = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const elapsed = started === null ? null : (ended - started) / 1000;
  const percent = p && p.totalSteps > 0 ? Math.min(100, (100 * p.step) / p.totalSteps) : run.status === 'succeeded' ? 100 : 0;
  return (
    <div className={styles.progress} data-testid="run-progress">
      <progress max={100} value={percent} aria-label="Steps done" />
      <span>
        <b>{percent.toFixed(0)}%</b> · step {p ? `${p.step.toLocaleString()} of ${p.totalSteps.toLocaleString()}` : '–'}
        {p && ` · ${p.imagesPerS.toFixed(1)} images/s`} · {isLive(run) ? 'running for' : 'took'} {formatDuration(elapsed)}
        {isLive(run) && <span data-testid="run-eta"> · ETA {run.status === 'queued' ? 'once a worker takes it' : formatDuration(p?.etaS)}</span>}
      </span>
    </div>
  );
}
