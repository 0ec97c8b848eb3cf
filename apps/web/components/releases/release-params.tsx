import type { CreateRelease } from '@lesionlab/contracts';

const listed = (values: readonly string[] | undefined) => (values?.length ? values.join(', ') : 'all');

/** The parameters a release was cut with. */
export function ReleaseParams({ params }: { params: CreateRelease }) {
  const pinned = Object.entries(params.pinned).filter(([, ids]) => ids?.length);
  return (
    <dl className="stats" data-testid="release-params">
      <dt>Ratios</dt>
      <dd>
        train {params.ratios.train} · val {params.ratios.val} · test {params.ratios.test}
      </dd>
      <dt>Seed</dt>
      <dd>{params.seed}</dd>
      <dt>Stratified by</dt>
      <dd>{params.stratifyBy.join(', ') || 'nothing'}</dd>
      <dt>Label policy</dt>
      <dd>{params.labelPolicy}</dd>
      <dt>Near-duplicates</dt>
      <dd>{params.keepNearDuplicatesTogether ? 'kept together' : 'split freely'}</dd>
      <dt>Cohorts</dt>
      <dd>{listed(params.selection.cohorts)}</dd>
      <dt>Supervision</dt>
      <dd>{listed(params.selection.supervision)}</dd>
      {params.selection.collections?.length ? (
        <>
          <dt>Collections</dt>
          <dd>{listed(params.selection.collections)}</dd>
        </>
      ) : null}
      {pinned.length > 0 && (
        <>
          <dt>Pinned patients</dt>
          <dd>{pinned.map(([split, ids]) => `${ids!.length} in ${split}`).join(', ')}</dd>
        </>
      )}
    </dl>
  );
}
