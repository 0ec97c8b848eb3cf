'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { PATIENT_LABELS, SLICE_REVIEW_STATES, SUPERVISION_KINDS, sliceFacetsSchema, type SliceFacets, type SliceSummary } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';

interface Filters {
  cohort: string;
  supervision: string;
  hasMask: string;
  reviewState: string;
  minLesionAreaPx: string;
  maxLesionAreaPx: string;
  patient: string;
}

const REVIEW_LABELS: Record<SliceSummary['reviewState'], string> = { none: 'unreviewed', submitted: 'in review', approved: 'approved', rejected: 'rejected' };

/** The accepted lesion area as a badge: mm² when the pixel spacing is known, else pixels; both in the tooltip. */
function LesionAreaBadge({ slice }: { slice: SliceSummary }) {
  if (slice.lesionAreaPx === null) return null;
  const px = `${slice.lesionAreaPx} px`;
  const mm2 = slice.lesionAreaMm2 === null ? null : `${slice.lesionAreaMm2.toFixed(1)} mm²`;
  return (
    <span className="badge badge-area" data-testid="area-badge" title={`accepted lesion area: ${mm2 ? `${mm2}, ` : ''}${px}`}>
      {mm2 ?? px}
    </span>
  );
}

/** The filters that are set, as the slice list and facet queries take them. */
function queryOf(filters: Filters): Record<string, string> {
  const query: Record<string, string> = Object.fromEntries(Object.entries(filters).filter(([, value]) => value));
  if (filters.patient) query.sort = 'patient';
  return query;
}

/** The catalog: filters with facet counts, and a thumbnail grid that loads the next page by cursor as it scrolls. */
export function SliceBrowser({ patient }: { patient: string }) {
  const [filters, setFilters] = useState<Filters>({ cohort: '', supervision: '', hasMask: '', reviewState: '', minLesionAreaPx: '', maxLesionAreaPx: '', patient });
  // The area bounds as typed; they become filters on Apply (or Enter) or when a field loses focus.
  const [areaBounds, setAreaBounds] = useState({ minLesionAreaPx: '', maxLesionAreaPx: '' });
  const [items, setItems] = useState<SliceSummary[]>([]);
  const [done, setDone] = useState(false);
  const [facets, setFacets] = useState<SliceFacets | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  // Where the next page starts (null: nothing loaded yet, or no more pages), and a count bumped by
  // every reset so that a page arriving for older filters is dropped.
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(
    async (reset: boolean) => {
      if (!reset && (loading.current || !cursor.current)) return;
      const mine = reset ? ++generation.current : generation.current;
      if (reset) cursor.current = null;
      loading.current = true;
      try {
        const query = { ...queryOf(filters), limit: 60, ...(cursor.current ? { cursor: cursor.current } : {}) };
        const page = await dataOf(api.GET('/api/slices', { params: { query }, cache: 'no-store' }));
        if (mine !== generation.current) return;
        setItems((previous) => (reset ? page.items : [...previous, ...page.items]));
        cursor.current = page.nextCursor;
        setDone(page.nextCursor === null);
        setError(null);
      } catch (e) {
        if (mine === generation.current) setError(messageOf(e));
      } finally {
        if (mine === generation.current) loading.current = false;
      }
    },
    [filters],
  );

  // A change of filters (and so of loadMore) starts over.
  useEffect(() => {
    setItems([]);
    setDone(false);
    void loadMore(true);
    let current = true;
    dataOf(api.GET('/api/slices/facets', { params: { query: queryOf(filters) }, cache: 'no-store' })).then(
      (counts) => current && setFacets(sliceFacetsSchema.parse(counts)),
      () => current && setFacets(null),
    );
    return () => {
      current = false;
    };
  }, [filters, loadMore]);

  useEffect(() => {
    const element = sentinel.current;
    if (!element || done) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(false), { rootMargin: '600px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [loadMore, done]);

  const select = (key: keyof Filters, label: string, options: readonly string[], counts?: Partial<Record<string, number>>) => (
    <label className="filter">
      {label}
      <select value={filters[key]} onChange={(e) => setFilters({ ...filters, [key]: e.target.value })}>
        <option value="">all</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
            {counts?.[option] !== undefined ? ` (${counts[option]})` : ''}
          </option>
        ))}
      </select>
    </label>
  );

  const applyAreaBounds = (event?: FormEvent) => {
    event?.preventDefault();
    if (areaBounds.minLesionAreaPx !== filters.minLesionAreaPx || areaBounds.maxLesionAreaPx !== filters.maxLesionAreaPx) setFilters({ ...filters, ...areaBounds });
  };
  const areaInput = (key: keyof typeof areaBounds, label: string) => (
    <input
      type="number"
      min={0}
      step={1}
      placeholder={label}
      aria-label={`${label} lesion area (px)`}
      value={areaBounds[key]}
      onChange={(e) => setAreaBounds({ ...areaBounds, [key]: e.target.value })}
      onBlur={() => applyAreaBounds()}
    />
  );

  return (
    <>
      <div className="filters">
        {select('cohort', 'Cohort', PATIENT_LABELS, facets?.cohort)}
        {select('supervision', 'Supervision', SUPERVISION_KINDS, facets?.supervision)}
        {select('hasMask', 'Mask', ['true', 'false'])}
        {select('reviewState', 'Review', SLICE_REVIEW_STATES, facets?.reviewState)}
        <form className="filter" onSubmit={applyAreaBounds}>
          Lesion area (px)
          <span className="filter-range">
            {areaInput('minLesionAreaPx', 'min')}–{areaInput('maxLesionAreaPx', 'max')}
            <button type="submit">Apply</button>
          </span>
        </form>
        {filters.patient && <button onClick={() => setFilters({ ...filters, patient: '' })}>All patients</button>}
        {facets && <span className="muted" data-testid="catalog-total">{facets.total} slices</span>}
        <Link href="/annotate" className="filters-next">Work queue →</Link>
      </div>
      {error && <div className="card muted">Cannot list slices: {error}</div>}
      <div className="thumbs" data-testid="slice-grid">
        {items.map((slice) => (
          <div key={slice.id} className="thumb" data-testid="slice-thumb">
            <Link href={`/annotate/${slice.id}`}>
              {slice.thumbnailUrl ? <img src={`/api/slices/${slice.id}/thumbnail`} alt={`slice ${slice.sliceIndex}`} loading="lazy" width={160} height={160} /> : <div className="thumb-empty" />}
            </Link>
            <div className="thumb-meta">
              <span className={`badge badge-${slice.supervision}`}>{slice.supervision}</span>
              <span className={`badge badge-cohort-${slice.cohort}`}>{slice.cohort}</span>
              <span className={`badge badge-review-${slice.reviewState}`} data-testid="review-badge">
                {REVIEW_LABELS[slice.reviewState]}
              </span>
              <LesionAreaBadge slice={slice} />
            </div>
            <div className="thumb-caption">
              <Link href={`/catalog?patient=${slice.patientId}`}>{slice.patientExternalId}</Link> · #{slice.sliceIndex}
            </div>
          </div>
        ))}
      </div>
      {!done && <div ref={sentinel} className="muted">Loading…</div>}
      {done && items.length === 0 && !error && <div className="card muted">No slices match. Import a collection with npx lesionlab import.</div>}
    </>
  );
}
