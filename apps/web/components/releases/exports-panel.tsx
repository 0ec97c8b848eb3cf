'use client';

import { useState } from 'react';
import { api, dataOf, messageOf } from '../../lib/api';
import { EXPORT_FORMATS, releaseExportSchema, type ExportFormat, type ReleaseExport } from '@lesionlab/contracts';
import { usePolled } from './use-polled';

const BADGE: Record<ReleaseExport['status'], string> = { queued: 'badge-wait', running: 'badge-wait', succeeded: 'badge-up', failed: 'badge-down' };
const unfinished = (list: { items: ReleaseExport[] }) => list.items.some((e) => e.status === 'queued' || e.status === 'running');

function ExportFiles({ files }: { files: ReleaseExport['files'] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>File</th>
          <th>Bytes</th>
          <th>sha256</th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={file.path}>
            <td>{file.path}</td>
            <td>{file.size.toLocaleString()}</td>
            <td>
              <code>{file.sha256}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Asks for COCO / PNG / CSV exports of a ready release and lists each with its files and archive. */
export function ExportsPanel({ releaseId }: { releaseId: string }) {
  const { data, error, reload } = usePolled(`exports of ${releaseId}`, () => dataOf(api.GET('/api/releases/{id}/exports', { params: { path: { id: releaseId } } })).then((list) => ({ items: list.items.map((e) => releaseExportSchema.parse(e)) })), unfinished);
  const [requestError, setRequestError] = useState<string | null>(null);
  const request = async (format: ExportFormat) => {
    try {
      await api.POST('/api/releases/{id}/exports', { params: { path: { id: releaseId } }, body: { format } });
      setRequestError(null);
      reload();
    } catch (e) {
      setRequestError(messageOf(e));
    }
  };
  const requested = new Set(data?.items.map((e) => e.format));
  return (
    <section className="card" data-testid="exports">
      <h3>Exports</h3>
      <div className="actions">
        {EXPORT_FORMATS.map((format) => (
          <button key={format} type="button" disabled={requested.has(format)} onClick={() => request(format)}>
            Export {format}
          </button>
        ))}
      </div>
      {(error ?? requestError) && <p className="form-error">{error ?? requestError}</p>}
      {data?.items.map((item) => (
        <div key={item.format} className="export" data-testid={`export-${item.format}`}>
          <div className="release-row-head">
            <b>{item.format}</b>
            <span className={`badge ${BADGE[item.status]}`}>{item.status}</span>
            {item.status === 'succeeded' && <a href={`/api/releases/${releaseId}/exports/${item.format}/archive`}>Download .tar.gz</a>}
          </div>
          {item.error && <p className="form-error">{item.error}</p>}
          {item.files.length > 0 && <ExportFiles files={item.files} />}
        </div>
      ))}
    </section>
  );
}
