'use client';

import type { Evaluation, Model } from '@lesionlab/contracts';
import { usePolled } from '../releases/use-polled';

const pending = (e: Evaluation) => e.status === 'queued' || e.status === 'running';

function EvaluationView({ id }: { id: string }) {
  const { data } = usePolled<Evaluation>(`/api/evaluations/${id}`, pending);
  if (!data) return null;
  const worst = [...data.slices].filter((s) => typeof s.dice === 'number').sort((a, b) => (a.dice as number) - (b.dice as number)).slice(0, 8);
  return (
    <section className="card" data-testid="evaluation">
      <h3>
        {data.split} split · {data.status}
      </h3>
      {data.error && <div className="form-error">{data.error}</div>}
      {data.report && <pre>{JSON.stringify({ segmentation: data.report.segmentation_lesion_slices ?? data.report.segmentation, classification: data.report.classification }, null, 2)}</pre>}
      {worst.length > 0 && (
        <table>
          <thead>
            <tr><th>worst slices</th><th>dice</th><th>covid prob.</th></tr>
          </thead>
          <tbody>
            {worst.map((s) => (
              <tr key={String(s.slice_id)}><td><code>{String(s.slice_id).slice(0, 8)}</code></td><td>{(s.dice as number).toFixed(3)}</td><td>{String(s.covid_prob)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A registered model: its summary metrics and its evaluations. */
export function ModelView({ id }: { id: string }) {
  const { data, error } = usePolled<Model>(`/api/models/${id}`, () => false);
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
    </>
  );
}

/** Every registered model, newest first. */
export function ModelList() {
  const { data } = usePolled<{ items: Model[] }>('/api/models', () => false);
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
