import { createHash } from 'node:crypto';
import path from 'node:path';
import { createReleaseSchema, type CreateRelease } from '@lesionlab/contracts';
import { blobKey, type ObjectStorage } from '@lesionlab/platform';
import { createCatalogTestContext, SHARED_DATA, sharedDataPresent, type CatalogTestContext } from '@lesionlab/catalog/testing';
import { squareMaskCounts } from '../test/catalog-fixture';
import { ReleaseBuilder } from './release-builder';
import { ReleaseDiffer } from './release-diff';
import { ReleaseExporter } from './release-exporter';
import { parseManifest } from './release-manifest';

async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

// The "done when", on the real sets beside the project (skipped, saying so, when they are absent).
describe('a release of the imported ../shared/data sets', () => {
  let present = false;
  let context: CatalogTestContext;
  let builder: ReleaseBuilder;

  async function cut(over: Partial<CreateRelease> = {}) {
    const params = createReleaseSchema.parse({ name: 'real-data', seed: 'real', ...over });
    const [row] = await context.dataSource.query(
      `INSERT INTO releases (name, version, params) SELECT $1, COALESCE(MAX(version), 0) + 1, $2 FROM releases WHERE name = $1 RETURNING id`,
      [params.name, JSON.stringify(params)],
    );
    const built = await builder.build(row.id);
    const [release] = await context.dataSource.query('SELECT manifest_blob FROM releases WHERE id = $1', [row.id]);
    const manifest = await readObject(context.storage, blobKey(release.manifest_blob.trim()));
    return { id: row.id as string, built, manifest, items: parseManifest(manifest) };
  }

  beforeAll(async () => {
    present = await sharedDataPresent();
    if (!present) {
      console.warn(`skipping the real-data release: ${SHARED_DATA} is absent`);
      return;
    }
    context = await createCatalogTestContext();
    builder = new ReleaseBuilder(context.dataSource, context.storage);
    await context.runImport('manifest', { kind: 'path', path: path.join(SHARED_DATA, 'medseg-ct100/manifest.csv') }, { label: 'covid' });
    await context.runImport('manifest', { kind: 'path', path: path.join(SHARED_DATA, 'covid-ct/manifest.csv') });
  });
  afterAll(async () => {
    if (present) await context.close();
  });

  it('has no patient in two splits, is reproducible, cannot be modified, exports in all formats and diffs against its successor', async () => {
    if (!present) return;
    const [{ slices }] = await context.dataSource.query('SELECT count(*)::int AS slices FROM slices');
    const first = await cut();
    expect(first.built.summary.slices).toBe(slices);
    expect(first.built.summary.unknownPatientSlices).toBe(50);
    const splitOf = new Map<string, Set<string>>();
    for (const item of first.items) if (item.patient_id) splitOf.set(item.patient_id, (splitOf.get(item.patient_id) ?? new Set()).add(item.split));
    expect(splitOf.size).toBeGreaterThan(250);
    for (const splits of splitOf.values()) expect(splits.size).toBe(1);
    expect(first.items.filter((i) => i.supervision === 'pixel')).toHaveLength(50);

    const again = await cut();
    expect(Buffer.compare(again.manifest, first.manifest)).toBe(0);
    await expect(context.dataSource.query("UPDATE release_items SET split = 'val' WHERE release_id = $1", [first.id])).rejects.toThrow(/immutable/);

    const exporter = new ReleaseExporter(context.dataSource, context.storage);
    for (const format of ['coco', 'png', 'csv'] as const) {
      const { files, archiveKey } = await exporter.export(first.id, format);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files.slice(0, 20)) {
        const bytes = await readObject(context.storage, `exports/${first.id}/${format}/${file.path}`);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      }
      expect((await context.storage.head(archiveKey))?.size).toBeGreaterThan(0);
    }

    // a reviewer redraws three medseg masks; the successor release picks them up, the first keeps its own
    const edited = first.items.filter((i) => i.supervision === 'pixel').slice(0, 3);
    for (const item of edited) {
      const mask = squareMaskCounts(item.width, item.height, 100, 100, 40);
      await context.dataSource.query(
        `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, parent_id, state)
         VALUES ($1, $2, $3, $4, $5, 'reviewer@example.org', 'human', $6, 'approved')`,
        [item.slice_id, item.height, item.width, mask.counts, mask.area, item.mask_revision_id],
      );
    }
    const successor = await cut();
    const diff = await new ReleaseDiffer(context.dataSource).diff(first.id, successor.id);
    expect(diff.slices).toMatchObject({ added: 0, removed: 0, kept: slices });
    expect(diff.changedMasks.map((c) => c.sliceId).sort()).toEqual(edited.map((i) => i.slice_id).sort());
    for (const change of diff.changedMasks) expect(change.dice).toBeLessThan(1);
    expect(diff.movedPatients).toEqual([]);
  });
});
