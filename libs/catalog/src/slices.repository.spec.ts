import { SUPERVISION_KINDS, PATIENT_LABELS, SLICE_REVIEW_STATES, sliceQuerySchema, type SliceReviewState } from '@lesionlab/contracts';
import { createCatalogTestContext, type CatalogTestContext } from '../test/catalog-test-context';
import { SlicesRepository } from './slices.repository';

/** Fills the catalog with synthetic rows using set-based SQL (one shared blob, mixed cohorts and supervision). */
async function seed(context: CatalogTestContext, patients: number, slicesPerPatient: number, tag: string): Promise<void> {
  await context.dataSource.query(
    `INSERT INTO blobs (sha256, size, media_type, storage_key) VALUES (repeat('a', 64), 1, 'image/png', 'blobs/aa/aa/' || repeat('a', 64)) ON CONFLICT DO NOTHING`,
  );
  await context.dataSource.query(
    `INSERT INTO patients (collection, external_id, label)
     SELECT 'seed', $1 || g, (ARRAY['covid', 'negative', 'unknown'])[1 + g % 3] FROM generate_series(1, $2) g`,
    [tag, patients],
  );
  await context.dataSource.query(`INSERT INTO scans (patient_id, series_key) SELECT id, 's' FROM patients WHERE external_id LIKE $1 || '%'`, [tag]);
  await context.dataSource.query(
    `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort, supervision)
     SELECT sc.id, p.id, i, 512, 512, 8, repeat('a', 64), p.label,
            CASE WHEN i % 7 = 0 THEN 'pixel' WHEN p.label = 'covid' THEN 'patient' WHEN p.label = 'negative' THEN 'negative' ELSE 'none' END
       FROM patients p JOIN scans sc ON sc.patient_id = p.id, generate_series(0, $2 - 1) i WHERE p.external_id LIKE $1 || '%'`,
    [tag, slicesPerPatient],
  );
}

describe('SlicesRepository', () => {
  let context: CatalogTestContext;
  let slices: SlicesRepository;

  beforeAll(async () => {
    context = await createCatalogTestContext();
    slices = context.app.get(SlicesRepository);
    await seed(context, 30, 20, 'p');
  });
  afterAll(() => context.close());

  const query = (input: Record<string, unknown>) => sliceQuerySchema.parse(input);

  async function pageThrough(input: Record<string, unknown>, during?: (page: number) => Promise<void>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      const result = await slices.list(query({ ...input, cursor }));
      ids.push(...result.rows.map((r) => r.id));
      await during?.(page);
      if (!result.nextCursor) return ids;
      cursor = result.nextCursor;
    }
  }

  it.each(['id', '-id', 'patient'])('pages through every slice exactly once, sorted by %s, while rows are inserted', async (sort) => {
    const before: { id: string }[] = await context.dataSource.query('SELECT id FROM slices');
    const ids = await pageThrough({ sort, limit: 37 }, async (page) => {
      if (page === 2) await seed(context, 2, 5, `late-${sort}-`);
    });
    expect(new Set(ids).size).toBe(ids.length);
    const seen = new Set(ids);
    for (const { id } of before) expect(seen.has(id)).toBe(true);
  });

  it('filters by supervision and cohort, and a page agrees with the database', async () => {
    const ids = await pageThrough({ supervision: 'pixel', cohort: 'covid', limit: 25 });
    const [{ n }] = await context.dataSource.query(`SELECT count(*)::int AS n FROM slices WHERE supervision = 'pixel' AND cohort = 'covid'`);
    expect(ids).toHaveLength(n);
  });

  it('answers facet counts equal to counting the rows, with and without filters', async () => {
    const rows: { supervision: string; cohort: string; n: number }[] = await context.dataSource.query('SELECT supervision, cohort, count(*)::int AS n FROM slices GROUP BY 1, 2');
    const facets = await slices.facets({});
    expect(facets.total).toBe(rows.reduce((s, r) => s + r.n, 0));
    for (const kind of SUPERVISION_KINDS) expect(facets.supervision[kind]).toBe(rows.filter((r) => r.supervision === kind).reduce((s, r) => s + r.n, 0));
    for (const label of PATIENT_LABELS) expect(facets.cohort[label]).toBe(rows.filter((r) => r.cohort === label).reduce((s, r) => s + r.n, 0));
    const covid = await slices.facets({ cohort: 'covid' });
    expect(covid.total).toBe(rows.filter((r) => r.cohort === 'covid').reduce((s, r) => s + r.n, 0));
    const [patient] = await context.dataSource.query(`SELECT id FROM patients WHERE external_id = 'p1'`);
    const one = await slices.facets({ patient: patient.id, hasMask: false });
    expect(one.total).toBe(20);
  });

  describe('review state and lesion area', () => {
    /** What each masked slice should read as, built alongside the revisions (the test's own model of the rules). */
    const expected = new Map<string, { state: SliceReviewState; areaPx: number | null; areaMm2: number | null }>();

    async function revision(sliceId: string, state: string, facts: { areaPx: number; areaMm2: number | null; maskClass?: string }): Promise<void> {
      const [{ id }] = await context.dataSource.query(
        `INSERT INTO mask_revisions (slice_id, class, height, width, rle_counts, area, author, source, state)
         VALUES ($1, $2, 512, 512, '0', $3, 'tester', 'human', $4) RETURNING id`,
        [sliceId, facts.maskClass ?? 'opacification', facts.areaPx, state],
      );
      await context.dataSource.query(
        `INSERT INTO mask_revision_facts (revision_id, slice_id, lesion_count, speck_count, min_lesion_px, area_px, area_mm2, lung_field_known, lesions)
         VALUES ($1, $2, 1, 0, 1, $3, $4, false, '[]')`,
        [id, sliceId, facts.areaPx, facts.areaMm2],
      );
    }

    beforeAll(async () => {
      const picked: { id: string }[] = await context.dataSource.query(`SELECT s.id FROM slices s JOIN patients p ON p.id = s.patient_id WHERE p.external_id LIKE 'p%' ORDER BY s.id LIMIT 72`);
      for (const [i, { id }] of picked.entries()) {
        const area = 10 * (i + 1);
        switch (i % 6) {
          case 0: // a draft only: private work, review state none
            await revision(id, 'draft', { areaPx: area, areaMm2: null });
            expected.set(id, { state: 'none', areaPx: null, areaMm2: null });
            break;
          case 1:
            await revision(id, 'submitted', { areaPx: area, areaMm2: null });
            expected.set(id, { state: 'submitted', areaPx: null, areaMm2: null });
            break;
          case 2:
            await revision(id, 'approved', { areaPx: area, areaMm2: area / 4 });
            expected.set(id, { state: 'approved', areaPx: area, areaMm2: area / 4 });
            break;
          case 3: // approved, then a newer submission rejected: the approved mask stays the accepted one
            await revision(id, 'approved', { areaPx: area, areaMm2: null });
            await revision(id, 'rejected', { areaPx: area + 5, areaMm2: null });
            expected.set(id, { state: 'rejected', areaPx: area, areaMm2: null });
            break;
          case 4: // a newer draft does not hide the submission
            await revision(id, 'submitted', { areaPx: area, areaMm2: null });
            await revision(id, 'draft', { areaPx: area + 1, areaMm2: null });
            expected.set(id, { state: 'submitted', areaPx: null, areaMm2: null });
            break;
          default: // re-approved, plus a second class: the area is the sum of the newest approved mask of each class
            await revision(id, 'approved', { areaPx: 1, areaMm2: 1 });
            await revision(id, 'approved', { areaPx: area, areaMm2: 2 });
            await revision(id, 'approved', { areaPx: 7, areaMm2: 3, maskClass: 'consolidation' });
            expected.set(id, { state: 'approved', areaPx: area + 7, areaMm2: 5 });
        }
      }
    });

    const withState = (state: SliceReviewState) => [...expected].filter(([, e]) => e.state === state).map(([id]) => id);

    it.each(SLICE_REVIEW_STATES.filter((s) => s !== 'none'))('lists exactly the %s slices, paging by cursor without duplicates or gaps', async (reviewState) => {
      for (const sort of ['id', 'patient']) {
        const ids = await pageThrough({ reviewState, sort, limit: 5 });
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual(withState(reviewState).sort());
      }
    });

    it('lists the slices with no non-draft revision as review state none', async () => {
      const ids = await pageThrough({ reviewState: 'none', cohort: 'covid', limit: 40 });
      expect(new Set(ids).size).toBe(ids.length);
      const covid: { id: string }[] = await context.dataSource.query(`SELECT id FROM slices WHERE cohort = 'covid'`);
      const none = covid.map((r) => r.id).filter((id) => (expected.get(id)?.state ?? 'none') === 'none');
      expect(ids.sort()).toEqual(none.sort());
    });

    it('gives every listed slice its review state and accepted lesion area', async () => {
      const ids = new Set([...expected.keys()]);
      let seen = 0;
      let cursor: string | undefined;
      do {
        const page = await slices.list(query({ limit: 200, cursor }));
        for (const row of page.rows) {
          const want = expected.get(row.id) ?? { state: 'none', areaPx: null, areaMm2: null };
          expect({ id: row.id, state: row.reviewState, areaPx: row.lesionAreaPx, areaMm2: row.lesionAreaMm2 }).toEqual({ id: row.id, ...want });
          if (ids.has(row.id)) seen++;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toBe(ids.size);
    });

    it.each([
      [{ minLesionAreaPx: 200 }, (a: number) => a >= 200],
      [{ maxLesionAreaPx: 300 }, (a: number) => a <= 300],
      [{ minLesionAreaPx: 187, maxLesionAreaPx: 427 }, (a: number) => a >= 187 && a <= 427],
    ])('filters by lesion area %j, leaving out slices without an accepted mask', async (bounds, keep) => {
      const ids = await pageThrough({ ...bounds, limit: 4 });
      expect(new Set(ids).size).toBe(ids.length);
      const want = [...expected].filter(([, e]) => e.areaPx !== null && keep(e.areaPx)).map(([id]) => id);
      expect(want.length).toBeGreaterThan(3);
      expect(ids.sort()).toEqual(want.sort());
      const combined = await pageThrough({ ...bounds, reviewState: 'rejected', limit: 4 });
      expect(combined.sort()).toEqual(want.filter((id) => expected.get(id)!.state === 'rejected').sort());
    });

    it('counts review states in the facets, equal to grouping the rows, with and without filters', async () => {
      const all: { id: string; cohort: string; supervision: string }[] = await context.dataSource.query('SELECT id, cohort, supervision FROM slices');
      const stateOf = (id: string) => expected.get(id)?.state ?? 'none';
      const grouped = (rows: typeof all) => Object.fromEntries(SLICE_REVIEW_STATES.map((state) => [state, rows.filter((r) => stateOf(r.id) === state).length]));
      expect((await slices.facets({})).reviewState).toEqual(grouped(all));
      const covid = await slices.facets({ cohort: 'covid' });
      expect(covid.reviewState).toEqual(grouped(all.filter((r) => r.cohort === 'covid')));
      expect(covid.total).toBe(all.filter((r) => r.cohort === 'covid').length);

      const approved = await slices.facets({ reviewState: 'approved' });
      const approvedRows = all.filter((r) => stateOf(r.id) === 'approved');
      expect(approved.total).toBe(approvedRows.length);
      expect(approved.reviewState).toEqual({ none: 0, submitted: 0, approved: approvedRows.length, rejected: 0 });
      for (const label of PATIENT_LABELS) expect(approved.cohort[label]).toBe(approvedRows.filter((r) => r.cohort === label).length);

      const large = await slices.facets({ minLesionAreaPx: 300 });
      const largeRows = all.filter((r) => (expected.get(r.id)?.areaPx ?? -1) >= 300);
      expect(large.total).toBe(largeRows.length);
      expect(large.reviewState).toEqual(grouped(largeRows));
    });
  });

  it('refuses a cursor it did not give out', async () => {
    await expect(slices.list(query({ cursor: 'bm90LWEtY3Vyc29y' }))).rejects.toThrow(/cursor/);
  });
});
