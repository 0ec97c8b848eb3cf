'use client';

import { useState } from 'react';
import { api, dataOf, messageOf } from '../../lib/api';
import { EXPORT_FORMATS, releaseExportSchema, type ExportFormat, type ReleaseExport } from '@lesionlab/contracts';
import { usePolled } from './use-polled';
import styles from './releases.module.css';

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
      setRequestError(`Cannot start the ${format} export: ${messageOf(e)}`);
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
      {error && <p className="form-error">Cannot list the exports: {error}</p>}
      {requestError && <p className="form-error">{requestError}</p>}
      {data?.items.map((item) => (
        <div key={item.format} className="export" data-testid={`export-${item.format}`}>
          <div className="release-row-head">
            <b>{item.format}</b>
            <span className={`badge ${BADGE[item.status]}`}>{item.status}</span>
            {(item.status === 'queued' || item.status === 'running') && (
              <span className="muted">
                <progress className={styles.progress} aria-label={`${item.format} export in progress`} /> {item.status === 'queued' ? 'waiting for a worker…' : 'writing the archive…'}
              </span>
            )}
            {item.status === 'succeeded' && (
              <a href={`/api/releases/${releaseId}/exports/${item.format}/archive`} download={`release-${releaseId}-${item.format}.tar.gz`}>
                Download .tar.gz
              </a>
            )}
          </div>
          {item.archiveSha256 && (
            <p className="kv">
              archive sha256 <code>{item.archiveSha256}</code>
            </p>
          )}
          {item.error && <p className="form-error">The {item.format} export failed: {item.error}</p>}
          {item.files.length > 0 && <ExportFiles files={item.files} />}
        </div>
      ))}
    </section>
  );
}
