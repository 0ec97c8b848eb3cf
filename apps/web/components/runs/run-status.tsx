import type { Run, RunStatus as Status } from '@lesionlab/contracts';
import { formatDuration } from '../../lib/runs/duration';
import { overallSteps, type StageView } from '../../lib/runs/recipe-progress';
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

/** Steps done as a bar (over every stage of a recipe run), with the share, throughput and the time left (or taken). */
export function RunProgress({ run, stages, now }: { run: Run; stages: readonly StageView[]; now: number }) {
  const p = run.progress;
  const steps = overallSteps(run, stages);
  const started = run.startedAt ? Date.parse(run.startedAt) : null;
  const ended = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const elapsed = started === null ? null : (ended - started) / 1000;
  const percent = steps && steps.total > 0 ? Math.min(100, (100 * steps.done) / steps.total) : run.status === 'succeeded' ? 100 : 0;
  const current = stages.find((s) => s.state === 'running');
  return (
    <div className={styles.progress} data-testid="run-progress">
      <progress max={100} value={percent} aria-label="Steps done" />
      <span>
        <b>{percent.toFixed(0)}%</b> · step {steps ? `${steps.done.toLocaleString()} of ${steps.total.toLocaleString()}` : '–'}
        {current && ` (stage ${current.name})`}
        {p && isLive(run) && ` · ${p.imagesPerS.toFixed(1)} images/s`} · {isLive(run) ? 'running for' : 'took'} {formatDuration(elapsed)}
        {isLive(run) && <span data-testid="run-eta"> · ETA {run.status === 'queued' ? 'once a worker takes it' : `${formatDuration(p?.etaS)}${stages.length > 1 ? ' for this stage' : ''}`}</span>}
      </span>
    </div>
  );
}

/** A recipe run's stages in order: what each does, whether it is pending, running or finished, and how long it took. */
export function RunStages({ stages }: { stages: readonly StageView[] }) {
  if (stages.length === 0) return null;
  return (
    <ol className={styles.stages} data-testid="run-stages" aria-label="Recipe stages">
      {stages.map((stage, i) => (
        <li key={stage.name} className={`${styles.stage} ${stage.state === 'running' ? styles.stageCurrent : ''} ${stage.state === 'finished' ? styles.stageDone : ''}`} data-stage={stage.name} data-state={stage.state}>
          <div>
            <b>{i + 1}. {stage.name}</b> <span className={`badge ${stage.state === 'finished' ? 'badge-up' : stage.state === 'running' ? 'badge-wait' : ''}`}>{stage.state}</span>
          </div>
          <div className="muted">{stage.steps.toLocaleString()} steps{stage.seconds !== null && ` · took ${formatDuration(stage.seconds)}`}</div>
          <div className="muted">{stage.description}</div>
        </li>
      ))}
    </ol>
  );
}
