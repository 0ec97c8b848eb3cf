'use client';

import { useMemo } from 'react';
import { api, dataOf } from '../../lib/api';
import { reportFacts } from '../../lib/models/evaluation-report';
import { usePolled } from '../releases/use-polled';
import { ConfusionMatrix } from './confusion-matrix';
import { HeadlineCards } from './headline-cards';
import { RocChart } from './roc-chart';
import { SliceTable } from './slice-table';
import { WorstSlices } from './worst-slices';
import styles from './models.module.css';

const pending = (e: { status: string }) => e.status === 'queued' || e.status === 'running';

/** One evaluation: headline cards, ROC curve, confusion matrices, worst slices, the per-slice table; the raw report behind Details. */
export function EvaluationView({ id }: { id: string }) {
  const { data, error } = usePolled(`evaluation ${id}`, () => dataOf(api.GET('/api/evaluations/{id}', { params: { path: { id } } })), pending);
  const facts = useMemo(() => reportFacts(data?.report ?? null), [data?.report]);
  if (error) return <section className="card form-error" role="alert">Cannot load evaluation {id.slice(0, 8)}: {error}</section>;
  if (!data) return <section className="card muted">Loading the evaluation…</section>;
  const cls = facts.classification;
  return (
    <section className="card stack" data-testid="evaluation" data-status={data.status}>
      <h3>
        Evaluation on the {data.split} split · {data.status}
        {data.finishedAt && <span className="muted"> · {new Date(data.finishedAt).toLocaleString()}</span>}
      </h3>
      {pending(data) && <p className="muted">The evaluation is {data.status}; this page updates when it ends.</p>}
      {data.error && <div className="form-error" role="alert">The evaluation failed: {data.error}</div>}
      {data.report && <HeadlineCards facts={facts} />}
      {cls && (
        <div className={styles.panels}>
          <figure className={styles.panel}>
            <h4>ROC curve · {cls.slices} slices</h4>
            <RocChart points={cls.roc} auc={cls.auc} />
          </figure>
          <div className={styles.panel}>
            <h4>Confusion matrices</h4>
            <div className={styles.confusions}>
              <ConfusionMatrix testId="confusion-slices" title={`slices, COVID at p ≥ ${cls.threshold}`} confusion={cls.confusion} />
              <ConfusionMatrix testId="confusion-patients" title="patients" confusion={cls.patient.confusion} />
            </div>
            <p className="muted">Patient rule: {cls.patient.rule}.</p>
          </div>
        </div>
      )}
      {data.overlays.length > 0 && (
        <div className={styles.section}>
          <h4>Worst slices by Dice</h4>
          <WorstSlices evaluationId={data.id} overlays={data.overlays} />
        </div>
      )}
      {data.slices.length > 0 && (
        <div className={styles.section}>
          <h4>Every slice ({data.slices.length})</h4>
          <SliceTable slices={data.slices} imageSize={facts.imageSize} />
        </div>
      )}
      {data.report && (
        <details className={styles.details} data-testid="evaluation-details">
          <summary>Details: the trainer’s full report</summary>
          <pre>{JSON.stringify(data.report, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}
