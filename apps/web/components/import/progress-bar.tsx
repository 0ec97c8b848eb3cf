import { formatDuration } from '../../lib/runs/duration';
import styles from './import.module.css';

/** A labelled progress bar; `fraction` null draws a moving bar (under way, amount unknown). */
export function ProgressBar({ label, fraction, detail, etaS, testId }: { label: string; fraction: number | null; detail: string; etaS: number | null; testId: string }) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div className={styles.progress} data-testid={testId}>
      <div className={styles.progressHead}>
        <span>{label}</span>
        <span className="muted">
          {detail}
          {percent !== null && ` · ${percent}%`}
          {etaS !== null && etaS > 0 && <span data-testid={`${testId}-eta`}> · about {formatDuration(etaS)} left</span>}
        </span>
      </div>
      <div className={styles.track} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined}>
        <div className={percent === null ? styles.fillUnknown : styles.fill} style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
    </div>
  );
}
