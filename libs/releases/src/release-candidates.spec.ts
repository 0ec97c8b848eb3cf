import type { LabelPolicy } from './release-types';
import { dataSourceOptions, openDataSource } from '@lesionlab/platform';
import { createTestDatabase, type TestDatabase } from '@lesionlab/platform/testing';
import type { DataSource } from 'typeorm';
import { seedCatalog, squareMaskCounts, type FixturePatient } from '../test/catalog-fixture';
import { candidateQuery, type CandidateRow } from './release-candidates';

describe('candidateQuery: which mask revision each label policy takes, against the real database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let patients: FixturePatient[];
  let sliceIds: string[];

  const chosenMask = async (sliceId: string, policy: LabelPolicy): Promise<string | null> => {
    const { sql, params } = candidateQuery({ patientIds: [patients[0].id] }, policy);
    const rows: CandidateRow[] = await dataSource.query(sql, params);
    return rows.find((r) => r.slice_id === sliceId)!.mask_revision_id;
  };
  const revise = async (sliceId: string, state: string, parentId: string | null = null): Promise<string> => {
    const mask = squareMaskCounts(64, 64, 30, 30, 10);
    const [row] = await dataSource.query(
      `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, parent_id, state)
       VALUES ($1, 64, 64, $2, $3, 'annotator@x', 'human', $4, $5) RETURNING id`,
      [sliceId, mask.counts, mask.area, parentId, state],
    );
    return row.id;
  };
  const approvedImport = async (sliceId: string): Promise<string> => {
    const [row] = await dataSource.query(`SELECT id FROM mask_revisions WHERE slice_id = $1 AND state = 'approved'`, [sliceId]);
    return row.id;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ ...dataSourceOptions(database.url, 2), url: database.url });
    patients = await seedCatalog(dataSource, { masked: 1, labelOnly: 0, negative: 0, unknown: 0, slicesPerPatient: 4 });
    // even slices come with an approved imported mask, odd ones with none
    sliceIds = patients[0].sliceIds;
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('never takes a rejected submission: the older approved mask stays, under either policy', async () => {
    const slice = sliceIds[0];
    const approved = await approvedImport(slice);
    const submitted = await revise(slice, 'submitted');
    await revise(slice, 'rejected', submitted);
    expect(await chosenMask(slice, 'latest-submitted')).toBe(approved);
    expect(await chosenMask(slice, 'accepted')).toBe(approved);
  });

  it('latest-submitted takes a submission awaiting review over an older approved mask; accepted does not', async () => {
    const slice = sliceIds[2];
    const approved = await approvedImport(slice);
    const pending = await revise(slice, 'submitted');
    expect(await chosenMask(slice, 'latest-submitted')).toBe(pending);
    expect(await chosenMask(slice, 'accepted')).toBe(approved);
  });

  it('takes the approval of a submission, and never a draft', async () => {
    const slice = sliceIds[1];
    const submitted = await revise(slice, 'submitted');
    const approval = await revise(slice, 'approved', submitted);
    await revise(slice, 'draft');
    expect(await chosenMask(slice, 'latest-submitted')).toBe(approval);
    expect(await chosenMask(slice, 'accepted')).toBe(approval);
  });

  it('a slice whose only submission was rejected has no mask', async () => {
    const slice = sliceIds[3];
    const submitted = await revise(slice, 'submitted');
    await revise(slice, 'rejected', submitted);
    expect(await chosenMask(slice, 'latest-submitted')).toBeNull();
  });
});
