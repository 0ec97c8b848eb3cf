'use client';

import { useState, type FormEvent } from 'react';
import { PATIENT_LABELS, predictSchema, SUPERVISION_KINDS, type Evaluation } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';
import { usePolled } from '../releases/use-polled';

const pending = (e: { status: string }) => e.status === 'queued' || e.status === 'running';

interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** A 2×2 confusion matrix: rows the truth, columns the prediction. */
function ConfusionMatrix({ title, confusion }: { title: string; confusion: Confusion }) {
  return (
    <table className="card" data-testid="confusion">
      <caption>{title}</caption>
      <thead>
        <tr><th>truth \ predicted</th><th>covid</th><th>negative</th></tr>
      </thead>
      <tbody>
        <tr><th>covid</th><td>{confusion.tp}</td><td>{confusion.fn}</td></tr>
        <tr><th>negative</th><td>{confusion.fp}</td><td>{confusion.tn}</td></tr>
      </tbody>
    </table>
  );
}

type Slice = Evaluation['slices'][number];

/**
 * The slices the trainer drew overlays of, in overlay order: its worst pixel-supervised slices by dice,
 * a stable ascending sort with missing dice last (numpy's argsort, as `evaluate --worst` does).
 */
function overlaySlices(evaluation: Evaluation): Slice[] {
  const dice = (s: Slice) => (typeof s.dice === 'number' ? s.dice : Infinity);
  return evaluation.slices.filter((s) => s.supervision === 'pixel').sort((a, b) => dice(a) - dice(b)).slice(0, evaluation.overlays.length);
}

/** Hides an image the API does not serve (no Grad-CAM for the slice, or not for this role). */
const hideOnError = (e: { currentTarget: HTMLImageElement }) => (e.currentTarget.style.display = 'none');

function EvaluationView({ id }: { id: string }) {
  const { data } = usePolled(`evaluation ${id}`, () => dataOf(api.GET('/api/evaluations/{id}', { params: { path: { id } } })), pending);
  if (!data) return null;
  const classification = data.report?.classification as { confusion: Confusion; patient?: { confusion: Confusion } } | undefined;
  const worst = overlaySlices(data);
  return (
    <section className="card" data-testid="evaluation">
      <h3>
        {data.split} split · {data.status}
      </h3>
      {data.error && <div className="form-error">{data.error}</div>}
      {data.report && <pre>{JSON.stringify({ segmentation: data.report.segmentation_lesion_slices ?? data.report.segmentation, classification: data.report.classification }, null, 2)}</pre>}
      {classification && (
        <div className="form-row">
          <ConfusionMatrix title="slices" confusion={classification.confusion} />
          {classification.patient && <ConfusionMatrix title="patients" confusion={classification.patient.confusion} />}
        </div>
      )}
      {worst.length > 0 && (
        <table data-testid="worst-slices">
          <thead>
            <tr><th>worst slices</th><th>dice</th><th>covid prob.</th><th>truth (green) and prediction (red)</th><th>Grad-CAM of its newest model suggestion</th></tr>
          </thead>
          <tbody>
            {worst.map((s, i) => (
              <tr key={String(s.slice_id)}>
                <td><code>{String(s.slice_id).slice(0, 8)}</code></td>
                <td>{typeof s.dice === 'number' ? s.dice.toFixed(3) : '–'}</td>
                <td>{String(s.covid_prob)}</td>
                <td><img src={`/api/evaluations/${data.id}/overlays/${i}`} alt={`overlay of slice ${String(s.slice_id).slice(0, 8)}`} width={160} height={160} loading="lazy" /></td>
                <td><img src={`/api/slices/${String(s.slice_id)}/suggestion/gradcam`} alt="" width={160} height={160} loading="lazy" onError={hideOnError} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** "Predict on selection": catalog filters → POST /api/models/:id/predict → the batch's status, polled. */
function PredictForm({ modelId }: { modelId: string }) {
  const [collections, setCollections] = useState('');
  const [importIds, setImportIds] = useState('');
  const [cohorts, setCohorts] = useState<string[]>([]);
  const [supervision, setSupervision] = useState<string[]>([]);
  const [gradcam, setGradcam] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [batchId, setBatchId] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const selection = Object.fromEntries(
      Object.entries({ collections: list(collections), importIds: list(importIds), cohorts, supervision }).filter(([, values]) => values.length > 0),
    );
    const parsed = predictSchema.safeParse({ selection, gradcam });
    if (!parsed.success) return setError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    try {
      setBatchId((await dataOf(api.POST('/api/models/{id}/predict', { params: { path: { id: modelId } }, body: parsed.data }))).id);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const checkboxes = (legend: string, options: readonly string[], chosen: string[], set: (c: string[]) => void) => (
    <fieldset className="checkbox-set">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option}>
          <input type="checkbox" checked={chosen.includes(option)} onChange={(e) => set(e.target.checked ? [...chosen, option] : chosen.filter((c) => c !== option))} />
          {option}
        </label>
      ))}
    </fieldset>
  );
  return (
    <form className="card" onSubmit={submit} aria-label="Predict on selection">
      <h2>Predict on selection</h2>
      <p className="muted">Each selected slice gets a draft mask from this model, with its uncertainty, for annotators to correct.</p>
      <div className="form-row">
        <label className="filter">
          Collections (comma-separated)
          <input type="text" value={collections} onChange={(e) => setCollections(e.target.value)} placeholder="covid-cs" />
        </label>
        <label className="filter">
          Import ids (comma-separated)
          <input type="text" value={importIds} onChange={(e) => setImportIds(e.target.value)} />
        </label>
        {checkboxes('Cohorts (none: all)', PATIENT_LABELS, cohorts, setCohorts)}
        {checkboxes('Supervision (none: all)', SUPERVISION_KINDS, supervision, setSupervision)}
        <label>
          <input type="checkbox" checked={gradcam} onChange={(e) => setGradcam(e.target.checked)} /> Grad-CAM maps
        </label>
      </div>
      <div className="actions">
        <button type="submit">Predict</button>
        {error && (
          <span className="form-error" role="alert">
            {error}
          </span>
        )}
      </div>
      {batchId && <BatchStatus id={batchId} />}
    </form>
  );
}

function BatchStatus({ id }: { id: string }) {
  const { data, error } = usePolled(`prediction batch ${id}`, () => dataOf(api.GET('/api/predictions/{id}', { params: { path: { id } } })), pending);
  if (error) return <div className="form-error">{error}</div>;
  if (!data) return null;
  return (
    <div className="kv" data-testid="prediction-batch">
      batch <code>{data.id.slice(0, 8)}</code> · <b>{data.status}</b> · {data.drafts}/{data.slices} drafts
      {data.error && <span className="form-error"> · {data.error}</span>}
    </div>
  );
}

/** A registered model: its summary metrics, its evaluations and predicting a selection with it. */
export function ModelView({ id }: { id: string }) {
  const { data, error } = usePolled(`model ${id}`, () => dataOf(api.GET('/api/models/{id}', { params: { path: { id } } })), () => false);
  if (error) return <div className="card muted">Cannot load the model: {error}</div>;
  if (!data) return <div className="card muted">Loading…</div>;
  return (
    <>
      <div className="card kv">
        <b>
          {data.name} v{data.version}
        </b>{' '}
        · {data.stage} · weights <code title={data.sha256}>{data.sha256.slice(0, 12)}</code>
      </div>
      <pre className="card">{JSON.stringify(data.metrics, null, 2)}</pre>
      {data.evaluations.map((e) => (
        <EvaluationView key={e.id} id={e.id} />
      ))}
      <PredictForm modelId={data.id} />
    </>
  );
}
/** Every registered model, newest first. */
export function ModelList() {
  const { data } = usePolled('models', () => dataOf(api.GET('/api/models')), () => false);
  if (data && data.items.length === 0) return <div className="card muted">No models yet: a finished run registers one.</div>;
  return (
    <ul className="card">
      {data?.items.map((m) => (
        <li key={m.id}>
          <a href={`/models/${m.id}`}>
            {m.name} v{m.version}
          </a>{' '}
          · {m.stage} · {new Date(m.createdAt).toLocaleString()}
        </li>
      ))}
    </ul>
  );
}
