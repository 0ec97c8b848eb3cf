import { PATIENT_LABELS } from '@lesionlab/contracts';
import { createCatalogTestContext, type CatalogTestContext } from '../test/catalog-test-context';
import { PatientsRepository } from './patients.repository';
import { deriveSupervision } from './supervision';

/** The SQL catalog publishes for labels (slice-supervision.sql, catalog-locks.sql) on a real database. */
describe('catalog functions for supervision and locks', () => {
  let context: CatalogTestContext;
  let patientId: string;
  let sliceIds: string[];
  const query = <T>(sql: string, values: unknown[] = []): Promise<T[]> => context.dataSource.query(sql, values);
  const slices = () => query<{ cohort: string; supervision: string }>('SELECT cohort, supervision FROM slices WHERE patient_id = $1 ORDER BY slice_index', [patientId]);

  beforeAll(async () => {
    context = await createCatalogTestContext();
    await query(`INSERT INTO blobs (sha256, size, media_type, storage_key) VALUES (repeat('b', 64), 1, 'image/png', 'blobs/bb/bb/' || repeat('b', 64))`);
    [{ id: patientId }] = await query<{ id: string }>(`INSERT INTO patients (collection, external_id, label) VALUES ('fn', 'p1', 'unknown') RETURNING id`);
    const [{ id: scanId }] = await query<{ id: string }>(`INSERT INTO scans (patient_id, series_key) VALUES ($1, 's') RETURNING id`, [patientId]);
    sliceIds = (
      await query<{ id: string }>(
        `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort, supervision)
         SELECT $1, $2, i, 8, 8, 8, repeat('b', 64), 'unknown', 'none' FROM generate_series(0, 2) i RETURNING id`,
        [scanId, patientId],
      )
    ).map((row) => row.id);
  });
  afterAll(() => context.close());

  it('derives supervision in SQL as deriveSupervision does', async () => {
    for (const label of PATIENT_LABELS) {
      for (const hasMask of [true, false]) {
        const [{ kind }] = await query<{ kind: string }>('SELECT slice_supervision($1, $2) AS kind', [hasMask, label]);
        expect({ label, hasMask, kind }).toEqual({ label, hasMask, kind: deriveSupervision(hasMask, label) });
      }
    }
  });

  it('gives slices that gained a mask pixel supervision, and those that lost it their cohort\'s', async () => {
    await query('SELECT record_slice_masks($1::uuid[], true)', [sliceIds.slice(0, 2)]);
    expect((await slices()).map((s) => s.supervision)).toEqual(['pixel', 'pixel', 'none']);
    await query('SELECT record_slice_masks($1::uuid[], false)', [[sliceIds[1]]]);
    expect((await slices()).map((s) => s.supervision)).toEqual(['pixel', 'none', 'none']);
  });

  it('carries a patient label to its slices\' cohort and supervision, keeping pixel supervision', async () => {
    await context.app.get(PatientsRepository).relabel(patientId, 'covid', 'test:relabel');
    expect(await slices()).toEqual([
      { cohort: 'covid', supervision: 'pixel' },
      { cohort: 'covid', supervision: 'patient' },
      { cohort: 'covid', supervision: 'patient' },
    ]);
    const [patient] = await query<{ label: string; label_source: string }>('SELECT label, label_source FROM patients WHERE id = $1', [patientId]);
    expect(patient).toEqual({ label: 'covid', label_source: 'test:relabel' });
    await query('SELECT record_slice_masks($1::uuid[], false)', [[sliceIds[0]]]);
    expect((await slices())[0]).toEqual({ cohort: 'covid', supervision: 'patient' });
  });

  it('locks slices and patients, answering what exists', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await context.dataSource.transaction(async (manager) => {
      expect(await manager.query('SELECT lock_slice($1) AS cohort', [sliceIds[0]])).toEqual([{ cohort: 'covid' }]);
      expect(await manager.query('SELECT lock_slice($1) AS cohort', [missing])).toEqual([{ cohort: null }]);
      expect((await manager.query('SELECT id FROM lock_slices($1::uuid[]) AS id', [[sliceIds[2], missing, sliceIds[1]]])).map((r: { id: string }) => r.id)).toEqual(
        [sliceIds[1], sliceIds[2]].sort(),
      );
      expect(await manager.query('SELECT lock_patient($1) AS found', [patientId])).toEqual([{ found: true }]);
      expect(await manager.query('SELECT lock_patient($1) AS found', [missing])).toEqual([{ found: false }]);
    });
  });

  it('holds the lock until the transaction ends', async () => {
    const runner = context.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SELECT lock_slice($1)', [sliceIds[0]]);
      await expect(context.dataSource.query(`SET LOCAL lock_timeout = '100ms'; SELECT id FROM slices WHERE id = '${sliceIds[0]}' FOR NO KEY UPDATE`)).rejects.toThrow(/lock timeout/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
