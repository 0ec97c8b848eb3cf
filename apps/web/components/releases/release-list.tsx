'use client';

import Link from 'next/link';
import { releaseListSchema, type Release } from '@lesionlab/contracts';
import { CutReleaseForm } from './cut-release-form';
import { ReleaseStatus } from './release-status';
import { usePolled } from './use-polled';
import { Pager, usePage } from '../account/pager';
import { api, dataOf } from '../../lib/api';

const PAGE_SIZE = 20;
const anyBuilding = (list: { items: Release[] }) => list.items.some((r) => r.status === 'building');

function ReleaseRow({ release }: { release: Release }) {
  return (
    <li className="card release-row" data-testid="release-row" data-release-id={release.id}>
      <div className="release-row-head">
        <Link href={`/releases/${release.id}`} className="release-title">
          {release.title}
        </Link>
        <ReleaseStatus status={release.status} />
      </div>
      {release.description && <div className="muted">{release.description}</div>}
      <div className="kv">
        {release.summary && (
          <>
            <b data-testid="release-slices">{release.summary.slices}</b> slices · <b data-testid="release-patients">{release.summary.patients}</b> patients ·{' '}
          </>
        )}
        {release.digest && (
          <>
            digest <code title={release.digest}>{release.digest.slice(0, 12)}</code> ·{' '}
          </>
        )}
        created {new Date(release.createdAt).toLocaleString()}
      </div>
      {release.error && (
        <div className="form-error" data-testid="release-error">
          {release.error}
        </div>
      )}
    </li>
  );
}

/** Every release, newest first, and the form that cuts the next; polls while any is building. */
export function ReleaseList() {
  const { data, error, reload } = usePolled('releases', () => dataOf(api.GET('/api/releases')).then((list) => releaseListSchema.parse(list)), anyBuilding);
  const pager = usePage(data?.items ?? [], PAGE_SIZE);
  return (
    <>
      <CutReleaseForm onCut={reload} />
      <h2 className="releases-heading">All releases</h2>
      {error && <div className="card muted">Cannot list releases: {error}</div>}
      {data && data.items.length === 0 && <div className="card muted">No releases yet.</div>}
      <ul className="release-list">
        {pager.rows.map((release) => (
          <ReleaseRow key={release.id} release={release} />
        ))}
      </ul>
      <Pager {...pager} noun="releases" />
    </>
  );
}
