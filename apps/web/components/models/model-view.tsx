'use client';

import Link from 'next/link';
import { UNEVALUATED_MODELS, type Model, type TrainerModel } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { usePolled } from '../releases/use-polled';
import { EvaluationView } from './evaluation-view';
import { PredictForm } from './predict-form';
import { StageBadge } from './stage-badge';
import { StageControl } from './stage-control';
import { StartedFrom } from './started-from';
import styles from './models.module.css';

const formatMetric = (value: number | null) => (value === null ? '–' : Number(value.toPrecision(4)).toString());

/** The metrics the run recorded last, split/name → value, as a definition list. */
function TrainingMetrics({ metrics }: { metrics: Model['metrics'] }) {
  const names = Object.keys(metrics).sort();
  if (names.length === 0) return null;
  return (
    <dl className={styles.trainingMetrics} data-testid="training-metrics">
      {names.map((name) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{formatMetric(metrics[name])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A registered model: who it is, its stage (promote, archive), its evaluations, and predicting a selection with it. */
export function ModelView({ id }: { id: string }) {
  const { data, error, reload } = usePolled(`model ${id}`, () => dataOf(api.GET('/api/models/{id}', { params: { path: { id } } })), () => false);
  if (error) return <div className="card form-error" role="alert">Cannot load the model: {error}</div>;
  if (!data) return <div className="card muted">Loading…</div>;
  const boxPrompt = UNEVALUATED_MODELS.includes(data.architecture as TrainerModel);
  return (
    <div className="stack">
      <section className="card stack" data-testid="model-summary">
        <div className={styles.header}>
          <h2>
            {data.name} v{data.version}
          </h2>
          <StageBadge stage={data.stage} />
        </div>
        <div className={styles.facts}>
          <span>preset <b>{data.architecture}</b></span>
          <span>run <Link href={`/runs/${data.runId}`}>{data.runId.slice(0, 8)}</Link></span>
          {data.initModelId && <StartedFrom modelId={data.initModelId} />}
          <span>release <Link href={`/releases/${data.releaseId}`}>{data.releaseId.slice(0, 8)}</Link></span>
          <span>weights <code title={data.sha256}>{data.sha256.slice(0, 12)}</code></span>
          <span>registered <b>{new Date(data.createdAt).toLocaleString()}</b></span>
        </div>
        <StageControl model={data} onChanged={reload} />
        <h4>Last training metrics</h4>
        <TrainingMetrics metrics={data.metrics} />
      </section>
      {boxPrompt ? (
        <div className="card muted" data-testid="box-prompt-model">
          {data.name} draws lesion masks from boxes: pick it in the editor&apos;s AI assist tool. It does not segment whole slices, so it has no evaluation and no predictions.
        </div>
      ) : (
        <>
          {data.evaluations.length === 0 && <div className="card muted">No evaluation of this model yet.</div>}
          {data.evaluations.map((e) => (
            <EvaluationView key={e.id} id={e.id} />
          ))}
          <PredictForm modelId={data.id} />
        </>
      )}
    </div>
  );
}
