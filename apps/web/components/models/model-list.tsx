'use client';

import Link from 'next/link';
import type { Model } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { Pager, usePage } from '../account/pager';
import { usePolled } from '../releases/use-polled';
import { StageBadge } from './stage-badge';
import styles from './models.module.css';

const PAGE_SIZE = 20;
/** The metric a model is judged by at a glance, in this order of preference (the run's last validation values). */
const KEY_METRICS = ['val/dice', 'val/auc', 'val/accuracy'];

function keyMetric(model: Model): string {
  const name = KEY_METRICS.find((n) => typeof model.metrics[n] === 'number');
  return name ? `${name.replace('val/', 'val ')} ${(model.metrics[name] as number).toFixed(3)}` : '–';
}

/** Every registered model, newest first, a page at a time, with its stage and key metric. */
export function ModelList() {
  const { data, error } = usePolled('models', () => dataOf(api.GET('/api/models')), () => false);
  const pager = usePage(data?.items ?? [], PAGE_SIZE);
  if (error) return <div className="card form-error" role="alert">Cannot list models: {error}</div>;
  if (!data) return <div className="card muted">Loading models…</div>;
  if (data.items.length === 0) return <div className="card muted">No models yet: a finished training run registers one.</div>;
  return (
    <div className="card">
      <table className={styles.table} data-testid="model-list">
        <thead>
          <tr><th>model</th><th>preset</th><th>stage</th><th>key metric</th><th>evaluations</th><th>registered</th></tr>
        </thead>
        <tbody>
          {pager.rows.map((m) => (
            <tr key={m.id} data-testid="model-row">
              <td><Link href={`/models/${m.id}`}>{m.name} v{m.version}</Link></td>
              <td>{m.architecture}</td>
              <td><StageBadge stage={m.stage} /></td>
              <td>{keyMetric(m)}</td>
              <td className="muted">{m.evaluations.map((e) => `${e.split} ${e.status}`).join(', ') || '–'}</td>
              <td>{new Date(m.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager {...pager} noun="models" />
    </div>
  );
}
