'use client';

import Link from 'next/link';
import { useState } from 'react';
import { importPageSchema } from '@lesionlab/contracts';
import { api, dataOf } from '../../lib/api';
import { usePolled } from '../releases/use-polled';
import { isFinished } from '../../lib/import/import-progress';
import { SourceName, StatusBadge } from './import-run-view';

const PAGE = 10;

/** Past imports, newest first, a page at a time (the API's cursor); each opens on this page. `changed` reloads it. */
export function ImportHistory({ openId, changed }: { openId: string | null; changed: number }) {
  // cursors[i] starts page i; the first page has none
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const { data, error } = usePolled(
    `${changed}:${cursor ?? ''}`,
    async () => importPageSchema.parse(await dataOf(api.GET('/api/imports', { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } } }))),
    (page) => page.items.some((run) => !isFinished(run)),
  );

  return (
    <section className="card" data-testid="import-history" aria-label="Past imports">
      <h2>Past imports</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      {data && data.items.length === 0 && cursors.length === 1 && <p className="muted">No import yet: the first one starts above.</p>}
      {data && data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Started</th>
              <th>Status</th>
              <th>Format</th>
              <th>Source</th>
              <th>Imported</th>
              <th>Already there</th>
              <th>Failed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.items.map((run) => (
              <tr key={run.id} data-testid="import-history-row" aria-current={run.id === openId ? 'true' : undefined}>
                <td>{new Date(run.createdAt).toLocaleString()}</td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>{run.format}</td>
                <td>
                  {typeof run.options.collection === 'string' && <b>{run.options.collection}</b>} <SourceName source={run.source} />
                </td>
                <td>{run.imported}</td>
                <td>{run.duplicates}</td>
                <td>{run.failed}</td>
                <td>{run.id === openId ? <span className="muted">open</span> : <Link href={`/import?id=${run.id}`}>Open</Link>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (cursors.length > 1 || data.nextCursor) && (
        <div className="actions">
          <button type="button" onClick={() => setCursors(cursors.slice(0, -1))} disabled={cursors.length === 1}>
            ← Newer
          </button>
          <span className="muted">page {cursors.length}</span>
          <button type="button" onClick={() => setCursors([...cursors, data.nextCursor ?? undefined])} disabled={!data.nextCursor}>
            Older →
          </button>
        </div>
      )}
    </section>
  );
}
