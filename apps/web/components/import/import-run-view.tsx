'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { importRunSchema, type ImportRun } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { importJobProgress, isFinished } from '../../lib/import/import-progress';
import { formatDuration } from '../../lib/runs/duration';
import { usePolled } from '../releases/use-polled';
import { ImportFailuresTable } from './import-failures-table';
import { ProgressBar } from './progress-bar';
import styles from './import.module.css';

const STATUS_BADGE: Record<ImportRun['status'], string> = { queued: 'badge-wait', running: 'badge-wait', succeeded: 'badge-up', failed: 'badge-down' };
const COUNTS = [
  { key: 'found', label: 'found' },
  { key: 'imported', label: 'imported' },
  { key: 'duplicates', label: 'already there' },
  { key: 'failed', label: 'failed' },
  { key: 'masks', label: 'masks' },
] as const;
/** Options shown with an import (its source is shown on its own). */
const OPTION_NAMES = ['collection', 'labels', 'masks', 'label', 'patient', 'maskThreshold'];

/** Where an import read from, for people: an upload's storage prefix means nothing to them. */
export function SourceName({ source }: { source: string }) {
  return /^\w+:uploads\/[0-9a-f-]{36}\/?$/.test(source) ? <span title={source}>files uploaded from a browser</span> : <code>{source}</code>;
}

export function StatusBadge({ status }: { status: ImportRun['status'] }) {
  return (
    <span className={`badge ${STATUS_BADGE[status]}`} data-testid="import-status">
      {status}
    </span>
  );
}

/** One import: live progress while it runs (polled every second), then its counts and failures. */
export function ImportRunView({ id, first }: { id: string; first: ImportRun | null }) {
  const { data, error } = usePolled(id, async () => importRunSchema.parse(await dataOf(api.GET('/api/imports/{id}', { params: { path: { id } } }))), (run) => !isFinished(run));
  const run = data ?? (first?.id === id ? first : null);
  const [now, setNow] = useState(() => Date.now());
  const live = run !== null && !isFinished(run);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);

  if (error && !run) return <p className="form-error card" role="alert">{error}</p>;
  if (!run) return <p className="card muted">Loading the import…</p>;
  const progress = importJobProgress(run, now);
  const options = Object.entries(run.options).filter(([name]) => OPTION_NAMES.includes(name));
  const took = run.startedAt && run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : null;
  return (
    <section className={`card ${styles.run}`} data-testid="import-result" aria-label="Import">
      <div className={styles.runHead}>
        <h2>
          Import <code>{run.id.slice(0, 8)}</code> <StatusBadge status={run.status} />
        </h2>
        {run.status === 'succeeded' && run.imported + run.duplicates > 0 && (
          <Link href="/catalog" data-testid="import-catalog-link">
            See the slices in the catalog →
          </Link>
        )}
      </div>
      <p className="kv">
        <b>{run.format}</b> from <SourceName source={run.source} /> · started {new Date(run.createdAt).toLocaleString()}
        {took !== null && ` · took ${formatDuration(took)}`}
      </p>
      {options.length > 0 && (
        <p className="kv">
          {options.map(([name, value]) => (
            <span key={name} className={styles.option}>
              {name} <b>{String(value)}</b>
            </span>
          ))}
        </p>
      )}
      {live && (
        <ProgressBar
          testId="import-progress"
          label={run.status === 'queued' ? 'Waiting for a worker' : progress.fraction === null ? 'Reading the source' : 'Importing'}
          fraction={progress.fraction}
          detail={progress.total ? `${progress.done} of ${progress.total} files` : 'listing the files'}
          etaS={progress.etaS}
        />
      )}
      <dl className={styles.counts} data-testid="import-counts">
        {COUNTS.map(({ key, label }) => (
          <div key={key} className={key === 'failed' && run.failed > 0 ? styles.countBad : undefined}>
            <dt>{label}</dt>
            <dd data-testid={`import-count-${key}`}>{run[key]}</dd>
          </div>
        ))}
      </dl>
      {run.error && (
        <p className={`form-error ${styles.problem}`} role="alert" data-testid="import-error">
          {run.status === 'failed' ? 'The import failed: ' : ''}
          {run.error}
        </p>
      )}
      {error && <p className="form-error">Could not refresh: {error}</p>}
      <ImportFailuresTable failures={run.failures} failed={run.failed} />
    </section>
  );
}
