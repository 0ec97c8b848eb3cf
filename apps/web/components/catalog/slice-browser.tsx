'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { PATIENT_LABELS, SUPERVISION_KINDS, type SliceFacets, type SlicePage, type SliceSummary } from '@lesionlab/contracts';

interface Filters {
  cohort: string;
  supervision: string;
  hasMask: string;
  patient: string;
}

function queryOf(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (filters.patient) params.set('sort', 'patient');
  return params.toString();
}

/** The catalog: filters with facet counts, and a thumbnail grid that loads the next page by cursor as it scrolls. */
export function SliceBrowser({ patient }: { patient: string }) {
  const [filters, setFilters] = useState<Filters>({ cohort: '', supervision: '', hasMask: '', patient });
  const [items, setItems] = useState<SliceSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [facets, setFacets] = useState<SliceFacets | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(
    async (reset: boolean) => {
      if (loading.current) return;
      loading.current = true;
      try {
        const response = await fetch(`/api/slices?${queryOf(filters, { limit: '60', ...(!reset && cursor ? { cursor } : {}) })}`, { cache: 'no-store' });
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
        const page = (await response.json()) as SlicePage;
        setItems((previous) => (reset ? page.items : [...previous, ...page.items]));
        setCursor(page.nextCursor);
        setDone(page.nextCursor === null);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        loading.current = false;
      }
    },
    [filters, cursor],
  );

  useEffect(() => {
    setItems([]);
    setDone(false);
    void loadMore(true);
    fetch(`/api/slices/facets?${queryOf(filters)}`, { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<SliceFacets>) : null))
      .then(setFacets, () => setFacets(null));
    // Only a change of filters starts over; loadMore changes with the cursor too.
  }, [filters]);

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

  return (
    <>
      <div className="filters">
        {select('cohort', 'Cohort', PATIENT_LABELS, facets?.cohort)}
        {select('supervision', 'Supervision', SUPERVISION_KINDS, facets?.supervision)}
        {select('hasMask', 'Mask', ['true', 'false'])}
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
