'use client';

import { useState, type FormEvent } from 'react';
import { PATIENT_LABELS, predictSchema, SUPERVISION_KINDS } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';
import { usePolled } from '../releases/use-polled';

const pending = (e: { status: string }) => e.status === 'queued' || e.status === 'running';

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** "Predict on selection": catalog filters → POST /api/models/:id/predict → the batch's status, polled. */
export function PredictForm({ modelId }: { modelId: string }) {
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
