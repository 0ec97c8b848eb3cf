'use client';

import { useEffect, useState } from 'react';
import type { HealthReport } from '@lesionlab/contracts';
import type { Middleware } from 'openapi-fetch';
import { api, dataOf, messageOf } from '../lib/api';

type Load = { kind: 'loading' } | { kind: 'loaded'; report: HealthReport; at: Date } | { kind: 'unreachable'; message: string; at: Date };

const REFRESH_MS = 5000;

const LABELS: Record<string, string> = { latencyMs: 'latency' };

function describeDetail(key: string, value: unknown): string {
  return key === 'latencyMs' ? `${value} ms` : String(value);
}

/** The API answers 503 with the same report when a component is down: for this panel that is an answer, not a failure. */
const downIsAReport: Middleware = {
  onResponse: ({ response }) => (response.status === 503 ? new Response(response.body, { status: 200, headers: response.headers }) : undefined),
};

/** Polls the API's health (proxied to the API) and shows each component with its state. */
export function HealthPanel() {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    const refresh = async () => {
      try {
        const report = await dataOf(api.GET('/api/health', { cache: 'no-store', middleware: [downIsAReport] }));
        if (!cancelled) setLoad({ kind: 'loaded', report, at: new Date() });
      } catch (error) {
        if (!cancelled) setLoad({ kind: 'unreachable', message: messageOf(error), at: new Date() });
      }
    };
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  if (load.kind === 'loading') return <p className="muted">Asking the API…</p>;
  if (load.kind === 'unreachable') {
    return (
      <div className="overall" data-testid="overall-status">
        <span className="badge badge-down">API unreachable</span>
        <span className="muted">{load.message}</span>
      </div>
    );
  }
  const { report, at } = load;
  const healthy = report.status === 'ok';
  return (
    <>
      <div className="overall" data-testid="overall-status">
        <span className={`badge ${healthy ? 'badge-up' : 'badge-down'}`}>{healthy ? 'healthy' : 'unhealthy'}</span>
        <span className="muted">checked {at.toLocaleTimeString()} · refreshes every {REFRESH_MS / 1000} s</span>
      </div>
      {!report.details && <p className="muted">Each component&apos;s state is shown to admins: sign in as an admin to see it.</p>}
      <div className="grid">
        {Object.entries(report.details ?? {}).map(([name, details]) => (
          <section className="card" key={name} data-testid={`component-${name}`}>
            <div className="component-name">
              {name}
              <span className={`badge ${details.status === 'up' ? 'badge-up' : 'badge-down'}`}>{details.status}</span>
            </div>
            {Object.entries(details)
              .filter(([key]) => key !== 'status')
              .map(([key, value]) => (
                <p className="kv" key={key}>
                  {LABELS[key] ?? key}: <b>{describeDetail(key, value)}</b>
                </p>
              ))}
          </section>
        ))}
      </div>
    </>
  );
}
