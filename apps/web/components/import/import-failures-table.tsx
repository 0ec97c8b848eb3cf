'use client';

import { useState } from 'react';
import type { ImportFailure } from '@lesionlab/contracts';

const PAGE = 25;

/** The files an import could not take and why, a page at a time. */
export function ImportFailuresTable({ failures, failed }: { failures: ImportFailure[]; failed: number }) {
  const [page, setPage] = useState(0);
  if (!failures.length) return failed ? null : <p className="muted" data-testid="import-no-failures">No file failed.</p>;
  const pages = Math.ceil(failures.length / PAGE);
  const current = Math.min(page, pages - 1);
  const shown = failures.slice(current * PAGE, current * PAGE + PAGE);
  return (
    <div data-testid="import-failures">
      <h3>
        Failures <span className="muted">({failed})</span>
      </h3>
      <table className="table">
        <thead>
          <tr>
            <th>File</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((failure, i) => (
            <tr key={`${current}-${i}`} data-testid="import-failure">
              <td>
                <code>{failure.file}</code>
              </td>
              <td>{failure.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {failed > failures.length && <p className="muted">The first {failures.length} failures are kept; {failed - failures.length} more files failed.</p>}
      {pages > 1 && (
        <div className="actions">
          <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0}>
            ← Previous
          </button>
          <span className="muted">
            page {current + 1} of {pages}
          </span>
          <button type="button" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
            Next →
          </button>
        </div>
      )}
    </div>
  );
}
