import { SUPERVISION_KINDS, PATIENT_LABELS, sliceQuerySchema } from '@lesionlab/contracts';
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

  it('refuses a cursor it did not give out', async () => {
    await expect(slices.list(query({ cursor: 'bm90LWEtY3Vyc29y' }))).rejects.toThrow(/cursor/);
  });
});
