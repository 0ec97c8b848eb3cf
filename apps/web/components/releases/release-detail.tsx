'use client';

import Link from 'next/link';
import { releaseSchema, type Release } from '@lesionlab/contracts';
import { ComparePicker } from './compare-picker';
import { CopyableDigest } from './copyable-digest';
import { ExportsPanel } from './exports-panel';
import { NearDuplicates } from './near-duplicates';
import { ReleaseParams } from './release-params';
import { ReleaseStatus } from './release-status';
import { SummaryCharts } from './summary-charts';
import { usePolled } from './use-polled';
import { api, dataOf } from '../../lib/api';
import styles from './releases.module.css';

const building = (release: Release) => release.status === 'building';

/** One release: status, parameters, digest, summary charts, near-duplicates, manifest, exports and the way to its diffs. */
export function ReleaseDetail({ id }: { id: string }) {
  const { data: release, error } = usePolled(`release ${id}`, () => dataOf(api.GET('/api/releases/{id}', { params: { path: { id } } })).then((r) => releaseSchema.parse(r)), building);
  if (error) return <div className="card muted">Cannot load the release: {error}</div>;
  if (!release) return <p className="muted">Loading…</p>;
  const { summary } = release;
  return (
    <>
      <div className="release-head">
        <h1>{release.title}</h1>
        <ReleaseStatus status={release.status} />
      </div>
      <p className="lead">{release.description || 'No description.'}</p>
      <p className="muted">
        Cut {new Date(release.createdAt).toLocaleString()}
        {release.finishedAt && `, built ${new Date(release.finishedAt).toLocaleString()}`}
      </p>
      <div className="stack">
        {release.error && (
          <div className="card form-error" data-testid="release-error">
            The build failed: {release.error}
          </div>
        )}
        <div className="release-grid">
          <section className="card">
            <h3>Parameters</h3>
            <ReleaseParams params={release.params} />
          </section>
          <section className="card">
            <h3>Contents</h3>
            {release.digest && <CopyableDigest digest={release.digest} />}
            {summary && (
              <dl className="stats">
                <dt>Slices</dt>
                <dd data-testid="summary-slices">{summary.slices}</dd>
                <dt>Patients</dt>
                <dd data-testid="summary-patients">{summary.patients}</dd>
                <dt>Unknown-patient slices</dt>
                <dd data-testid="unknown-patient-slices">{summary.unknownPatientSlices}</dd>
              </dl>
            )}
            {release.status === 'ready' && (
              <div className="actions">
                <Link href={`/runs/new?release=${id}`} className={styles.trainButton} data-testid="train-on-release">
                  Train on this release…
                </Link>
                <a href={`/api/releases/${id}/manifest`} download data-testid="download-manifest">
                  Download manifest (JSON lines)
                </a>
              </div>
            )}
            {release.status === 'building' && <p className="muted">Building… this page refreshes until it is done.</p>}
          </section>
        </div>
        {summary && (
          <>
            <SummaryCharts summary={summary} />
            <NearDuplicates report={summary.nearDuplicates} />
          </>
        )}
        {release.status === 'ready' && (
          <>
            <ExportsPanel releaseId={id} />
            <section className="card">
              <h3>Compare</h3>
              <ComparePicker releaseId={id} />
            </section>
          </>
        )}
        <Link href="/releases">← All releases</Link>
      </div>
    </>
  );
}
