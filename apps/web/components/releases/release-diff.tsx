'use client';

import Link from 'next/link';
import { releaseDiffSchema, releaseSchema } from '@lesionlab/contracts';
import { ChangedLabels, ChangedMasks, MovedPatients } from './diff-tables';
import { usePolled } from './use-polled';
import { api, dataOf } from '../../lib/api';

const never = () => false;

const SIGN = { added: '+', removed: '−', kept: '' } as const;

function Count({ what, change, value }: { what: 'slices' | 'patients'; change: keyof typeof SIGN; value: number }) {
  return (
    <div className={`card diff-count${value > 0 ? ` diff-${change}` : ''}`} data-testid={`diff-${what}-${change}`} data-count={value}>
      <div className="diff-count-value">
        {value > 0 && SIGN[change]}
        {value}
      </div>
      <div className="muted">
        {what} {change}
      </div>
    </div>
  );
}

/** What changed from one release to another: counts, split moves, masks (with Dice) and labels. */
export function ReleaseDiffView({ fromId, toId }: { fromId: string; toId: string }) {
  const from = usePolled(`release ${fromId}`, () => dataOf(api.GET('/api/releases/{id}', { params: { path: { id: fromId } } })).then((r) => releaseSchema.parse(r)), never);
  const to = usePolled(`release ${toId}`, () => dataOf(api.GET('/api/releases/{id}', { params: { path: { id: toId } } })).then((r) => releaseSchema.parse(r)), never);
  const diff = usePolled(`diff ${fromId} ${toId}`, () => dataOf(api.GET('/api/releases/{id}/diff', { params: { path: { id: fromId }, query: { to: toId } } })).then((d) => releaseDiffSchema.parse(d)), never);
  const error = from.error ?? to.error ?? diff.error;
  return (
    <>
      <h1>
        {from.data && <Link href={`/releases/${fromId}`}>{from.data.title}</Link>} → {to.data && <Link href={`/releases/${toId}`}>{to.data.title}</Link>}
      </h1>
      <p className="lead">What changed from the first release to the second.</p>
      {error && <div className="card form-error">Cannot compare: {error}</div>}
      {diff.data && (
        <div className="stack">
          <div className="diff-counts">
            <Count what="slices" change="added" value={diff.data.slices.added} />
            <Count what="slices" change="removed" value={diff.data.slices.removed} />
            <Count what="slices" change="kept" value={diff.data.slices.kept} />
            <Count what="patients" change="added" value={diff.data.patients.added} />
            <Count what="patients" change="removed" value={diff.data.patients.removed} />
          </div>
          <MovedPatients moved={diff.data.movedPatients} />
          <ChangedMasks masks={diff.data.changedMasks} />
          <ChangedLabels labels={diff.data.changedLabels} />
        </div>
      )}
    </>
  );
}
