'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AuditRecord } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';

const FILTERS = [
  { name: 'actor', label: 'Who (e-mail)' },
  { name: 'action', label: 'Action (e.g. PUT /api/slices/:id/mask)' },
  { name: 'id', label: 'Id' },
  { name: 'since', label: 'Since', type: 'datetime-local' },
  { name: 'until', label: 'Until', type: 'datetime-local' },
] as const;

/** The audit log with its filters; "Older" pages back through `nextBefore`. */
export function AuditLog() {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [items, setItems] = useState<AuditRecord[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (query: Record<string, string>, before?: number) => {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) {
      if (!value) continue;
      params[key] = key === 'since' || key === 'until' ? new Date(value).toISOString() : value;
    }
    let page: { items: AuditRecord[]; nextBefore: number | null };
    try {
      page = await dataOf(api.GET('/api/audit', { params: { query: { ...params, ...(before ? { before } : {}) } }, cache: 'no-store' }));
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    setError(null);
    setItems((shown) => (before ? [...shown, ...page.items] : page.items));
    setNextBefore(page.nextBefore);
  }, []);

  useEffect(() => {
    void load({});
  }, [load]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const query = Object.fromEntries([...new FormData(event.currentTarget)].map(([k, v]) => [k, String(v)]));
    setFilters(query);
    void load(query);
  }

  return (
    <>
      <form className="card filters" onSubmit={submit} aria-label="Audit filters">
        {FILTERS.map((f) => (
          <label key={f.name}>
            {f.label} <input name={f.name} type={'type' in f ? f.type : 'text'} />
          </label>
        ))}
        <button type="submit">Filter</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error} (<a href="/login?next=/audit">sign in</a>)
        </p>
      )}
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Ids</th>
            <th>Outcome</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {items.map((entry) => (
            <tr key={entry.id}>
              <td>{new Date(entry.at).toLocaleString()}</td>
              <td>
                {entry.actor}
                {entry.actorRole && ` (${entry.actorRole})`}
              </td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>
                {Object.entries(entry.ids).map(([key, value]) => (
                  <div key={key}>
                    {key}: <code>{value}</code>
                  </div>
                ))}
              </td>
              <td>{entry.status}</td>
              <td title={entry.requestId ?? undefined}>{entry.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextBefore && (
        <button type="button" onClick={() => void load(filters, nextBefore)}>
          Older
        </button>
      )}
    </>
  );
}
