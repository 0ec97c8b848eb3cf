import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createReleaseSchema, type CreateRelease } from '@lesionlab/contracts';
import { blobKey, dataSourceOptions, FsObjectStorage, openDataSource, UrlSigner, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, type TestDatabase } from '@lesionlab/platform/testing';
import type { DataSource } from 'typeorm';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { seedCatalog, seedPatient, squareMaskCounts, type FixturePatient } from '../test/catalog-fixture';
import { ReleaseBuilder } from './release-builder';
import { ReleaseDiffer } from './release-diff';
import { parseManifest } from './release-manifest';

async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('ReleaseBuilder against the real database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let storage: ObjectStorage;
  let builder: ReleaseBuilder;
  let patients: FixturePatient[];
  let root: string;

  async function cut(over: Partial<CreateRelease> = {}, name = 'fixture') {
    const params = createReleaseSchema.parse({ name, seed: 'seed-1', ...over });
    const [row] = await dataSource.query(
      `INSERT INTO releases (name, version, params) SELECT $1, COALESCE(MAX(version), 0) + 1, $2 FROM releases WHERE name = $1 RETURNING id`,
      [name, JSON.stringify(params)],
    );
    const built = await builder.build(row.id);
    const [release] = await dataSource.query('SELECT * FROM releases WHERE id = $1', [row.id]);
    const manifest = await readObject(storage, blobKey(release.manifest_blob.trim()));
    return { id: row.id as string, built, release, manifest, items: parseManifest(manifest) };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ ...dataSourceOptions(database.url, 4), url: database.url });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'lesionlab-releases-'));
    storage = new FsObjectStorage(root, new UrlSigner('x'.repeat(32), 'http://localhost'), 60);
    builder = new ReleaseBuilder(dataSource, storage);
    patients = await seedCatalog(dataSource, { masked: 12, labelOnly: 10, negative: 14, unknown: 6, slicesPerPatient: 4 });
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('puts whole patients in one split, counts unknown-patient slices apart, and summarises', async () => {
    const { items, built } = await cut();
    const splitsOfPatient = new Map<string, Set<string>>();
    for (const item of items) {
      if (item.patient_id) splitsOfPatient.set(item.patient_id, (splitsOfPatient.get(item.patient_id) ?? new Set()).add(item.split));
    }
    for (const splits of splitsOfPatient.values()) expect(splits.size).toBe(1);
    expect(items).toHaveLength(36 * 4 + 6);
    expect(items.filter((i) => i.patient_id === null)).toHaveLength(6);
    expect(built.summary.unknownPatientSlices).toBe(6);
    expect(built.summary.slices).toBe(150);
    const { train, val, test } = built.summary.splits;
    expect(train.slices + val.slices + test.slices).toBe(150);
    expect(train.slicesBySupervision.pixel + val.slicesBySupervision.pixel + test.slicesBySupervision.pixel).toBe(12 * 2);
    // stratified: every split gets negatives and masked patients
    for (const split of [train, test]) {
      expect(split.patientsByLabel.negative).toBeGreaterThan(0);
      expect(split.slicesBySupervision.pixel).toBeGreaterThan(0);
    }
  });

  it('writes mask PNGs whose pixels are the revision, and names each revision it used', async () => {
    const { items } = await cut();
    const masked = items.filter((i) => i.supervision === 'pixel');
    expect(masked.length).toBe(24);
    for (const item of masked) {
      expect(item.mask_revision_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(item.mask).toBe(`masks/${item.mask_sha256}.png`);
    }
    const [{ area }] = await dataSource.query('SELECT area FROM mask_revisions WHERE id = $1', [masked[0].mask_revision_id]);
    const png = await readObject(storage, blobKey(masked[0].mask_sha256!));
    const sharp = (await import('sharp')).default;
    const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    expect(data.filter((v) => v === 255).length).toBe(area);
    expect(data.filter((v) => v !== 0 && v !== 255).length).toBe(0);
  });

  it('gives the same assignment and a byte-identical manifest for the same inputs and seed', async () => {
    const first = await cut({}, 'repro');
    const second = await cut({}, 'repro');
    expect(second.release.version).toBe(first.release.version + 1);
    expect(Buffer.compare(first.manifest, second.manifest)).toBe(0);
    expect(second.built.digest).toBe(first.built.digest);
    const other = await cut({ seed: 'another-seed' }, 'repro');
    expect(other.built.digest).not.toBe(first.built.digest);
  });

  it('keeps pinned patients in their split', async () => {
    const pinned = patients.filter((p) => !p.unknown).slice(0, 5).map((p) => p.id);
    const { items } = await cut({ pinned: { test: pinned } }, 'pinned');
    for (const item of items.filter((i) => pinned.includes(i.patient_id!))) expect(item.split).toBe('test');
  });

  it('keeps near-duplicate slices of different patients in one split, or reports them when asked not to', async () => {
    const [a, b] = [patients[0], patients[20]];
    const [{ phash }] = await dataSource.query('SELECT phash::text FROM slices WHERE id = $1', [a.sliceIds[0]]);
    await dataSource.query('UPDATE slices SET phash = ($2::bigint # 1) WHERE id = $1', [b.sliceIds[1], phash]);
    const together = await cut({ keepNearDuplicatesTogether: true }, 'near-dup');
    const splitOf = new Map(together.items.map((i) => [i.patient_id, i.split]));
    expect(splitOf.get(a.id)).toBe(splitOf.get(b.id));
    expect(together.built.summary.nearDuplicates.pairs).toBeGreaterThanOrEqual(1);
    expect(together.built.summary.nearDuplicates.crossSplitPairs).toBe(0);
    const apart = await cut({ keepNearDuplicatesTogether: false, seed: 'spread' }, 'near-dup');
    const report = apart.built.summary.nearDuplicates;
    expect(report.pairs).toBe(together.built.summary.nearDuplicates.pairs);
    expect(report.examples.some((e) => [e.a, e.b].sort().join() === [a.sliceIds[0], b.sliceIds[1]].sort().join())).toBe(true);
  });

  it('is immutable once ready, in the database itself, and later edits never change it', async () => {
    const { id, items } = await cut({}, 'frozen');
    await expect(dataSource.query("UPDATE releases SET description = 'changed' WHERE id = $1", [id])).rejects.toThrow(/immutable/);
    await expect(dataSource.query("UPDATE release_items SET split = 'test' WHERE release_id = $1", [id])).rejects.toThrow(/immutable/);
    await expect(dataSource.query('DELETE FROM release_items WHERE release_id = $1', [id])).rejects.toThrow(/immutable/);
    const [extra] = await dataSource.query(
      `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob)
       SELECT scan_id, patient_id, 999, width, height, bit_depth, pixel_blob FROM slices WHERE id = $1 RETURNING id, patient_id, pixel_blob`,
      [items[0].slice_id],
    );
    await expect(
      dataSource.query(
        `INSERT INTO release_items (release_id, slice_id, patient_id, split, supervision, label, image_sha256) VALUES ($1, $2, $3, 'train', 'none', 'unknown', $4)`,
        [id, extra.id, extra.patient_id, extra.pixel_blob],
      ),
    ).rejects.toThrow(/immutable/);
    await dataSource.query('DELETE FROM slices WHERE id = $1', [extra.id]);
    await expect(dataSource.query('DELETE FROM releases WHERE id = $1', [id])).rejects.toThrow(/immutable/);

    const edited = items.find((i) => i.supervision === 'pixel')!;
    const mask = squareMaskCounts(64, 64, 30, 30, 20);
    const [newer] = await dataSource.query(
      `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, parent_id, state)
       VALUES ($1, 64, 64, $2, $3, 'reviewer', 'human', $4, 'approved') RETURNING id`,
      [edited.slice_id, mask.counts, mask.area, edited.mask_revision_id],
    );
    const [kept] = await dataSource.query('SELECT mask_revision_id FROM release_items WHERE release_id = $1 AND slice_id = $2', [id, edited.slice_id]);
    expect(kept.mask_revision_id).toBe(edited.mask_revision_id);
    const next = await cut({}, 'frozen');
    expect(next.items.find((i) => i.slice_id === edited.slice_id)!.mask_revision_id).toBe(newer.id);

    const diff = await new ReleaseDiffer(dataSource).diff(id, next.id);
    expect(diff.slices).toMatchObject({ added: 0, removed: 0, kept: items.length });
    expect(diff.changedMasks).toHaveLength(1);
    expect(diff.changedMasks[0]).toMatchObject({ sliceId: edited.slice_id, fromRevision: edited.mask_revision_id, toRevision: newer.id });
    // the old lesion (8..11 px square near 10,10) and the new one (20 px square at 30,30) do not overlap
    expect(diff.changedMasks[0].dice).toBe(0);
  });

  it('diffs releases: slices and patients added or removed, patients that moved split, label changes', async () => {
    const all = await cut({}, 'diff-base');
    const negativesOnly = await cut({ selection: { cohorts: ['negative'] } }, 'diff-base');
    const reseeded = await cut({ seed: 'moved' }, 'diff-base');
    const narrowed = await new ReleaseDiffer(dataSource).diff(all.id, negativesOnly.id);
    expect(narrowed.slices.added).toBe(0);
    expect(narrowed.slices.removed).toBe(all.items.length - negativesOnly.items.length);
    expect(narrowed.patients.removed).toBe(12 + 10 + 6);
    const moved = await new ReleaseDiffer(dataSource).diff(all.id, reseeded.id);
    const before = new Map(all.items.map((i) => [i.patient_id, i.split]));
    const after = new Map(reseeded.items.map((i) => [i.patient_id, i.split]));
    const expectedMoves = [...before].filter(([patient, split]) => patient && after.get(patient) !== split).length;
    const knownMoves = moved.movedPatients.filter((m) => !patients.find((p) => p.id === m.patientId)?.unknown);
    expect(knownMoves).toHaveLength(expectedMoves);
    expect(moved.changedMasks).toHaveLength(0);
    await expect(new ReleaseDiffer(dataSource).diff(all.id, '00000000-0000-4000-8000-000000000000')).rejects.toThrow('No release');
  });

  it('takes only what the selection names, and refuses an empty selection for good', async () => {
    const { items } = await cut({ selection: { cohorts: ['negative'] } }, 'negatives');
    expect(items.every((i) => i.label === 'negative' && i.supervision === 'negative')).toBe(true);
    expect(items).toHaveLength(14 * 4);
    await expect(cut({ selection: { collections: ['nothing-here'] } }, 'empty')).rejects.toThrow('The selection matches no slices');
  });
});

describe('ReleaseBuilder: what a masked slice of an unlabelled patient teaches', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let storage: ObjectStorage;
  let builder: ReleaseBuilder;
  let root: string;

  async function cut(name: string, selection: CreateRelease['selection']) {
    const params = createReleaseSchema.parse({ name, seed: 'evidence', selection });
    const [row] = await dataSource.query(`INSERT INTO releases (name, version, params) VALUES ($1, 1, $2) RETURNING id`, [name, JSON.stringify(params)]);
    await builder.build(row.id);
    const [release] = await dataSource.query('SELECT * FROM releases WHERE id = $1', [row.id]);
    return { release, items: parseManifest(await readObject(storage, blobKey(release.manifest_blob.trim()))) };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ ...dataSourceOptions(database.url, 4), url: database.url });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'lesionlab-releases-'));
    storage = new FsObjectStorage(root, new UrlSigner('x'.repeat(32), 'http://localhost'), 60);
    builder = new ReleaseBuilder(dataSource, storage);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('labels a patient covid on the evidence of a lesion mask, keeps an empty mask of an unlabelled patient unknown, and every line passes the schema', async () => {
    const volume = await seedPatient(dataSource, { collection: 'unlabelled', externalId: 'volume', label: 'unknown', masks: ['lesion', 'empty', null] });
    const blank = await seedPatient(dataSource, { collection: 'unlabelled', externalId: 'blank', label: 'unknown', masks: ['empty', null] });
    const lone = await seedPatient(dataSource, { collection: 'unlabelled', externalId: 'unknown:lone.png', label: 'unknown', unknown: true, masks: ['lesion'] });
    const clear = await seedPatient(dataSource, { collection: 'unlabelled', externalId: 'clear', label: 'negative', masks: ['empty', null] });
    const { items } = await cut('evidence', { collections: ['unlabelled'] });
    const teaching = (sliceId: string) => {
      const item = items.find((i) => i.slice_id === sliceId)!;
      return `${item.supervision}/${item.label}`;
    };
    // a lesion anywhere makes the whole patient covid: its masked slices teach both tasks, its unmasked one the label
    expect(volume.sliceIds.map(teaching)).toEqual(['pixel/covid', 'pixel/covid', 'patient/covid']);
    // an empty mask says "no lesion on this slice", not "a healthy patient"
    expect(blank.sliceIds.map(teaching)).toEqual(['pixel/unknown', 'none/unknown']);
    expect(lone.sliceIds.map(teaching)).toEqual(['pixel/covid']);
    expect(clear.sliceIds.map(teaching)).toEqual(['pixel/negative', 'negative/negative']);
    const schema = JSON.parse(await fs.readFile(path.resolve(__dirname, '../../contracts/schemas/release-manifest.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true });
    addFormats(ajv);
    const valid = ajv.compile(schema);
    for (const item of items) expect({ slice: item.slice_id, errors: valid(item) ? null : valid.errors }).toEqual({ slice: item.slice_id, errors: null });
  });

  it('refuses a lesion on a patient labelled negative, naming the slice, instead of guessing which is wrong', async () => {
    const contradicted = await seedPatient(dataSource, { collection: 'contradiction', externalId: 'p-neg', label: 'negative', masks: [null, 'lesion'] });
    await expect(cut('contradiction', { collections: ['contradiction'] })).rejects.toThrow(
      new RegExp(`^slice ${contradicted.sliceIds[1]} of patient p-neg \\(contradiction\\) has a lesion mask \\(revision [0-9a-f-]{36}, 81 px\\) but the patient is labelled negative`),
    );
  });
});
