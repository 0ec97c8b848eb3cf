import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createReleaseSchema } from '@lesionlab/contracts';
import { blobKey, dataSourceOptions, FsObjectStorage, openDataSource, UrlSigner, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, type TestDatabase } from '@lesionlab/platform/testing';
import type { DataSource } from 'typeorm';
import { seedCatalog, type FixturePatient } from '../test/catalog-fixture';
import { ReleaseBuilder } from './release-builder';
import { csvCell, ReleaseExporter } from './release-exporter';
import { parseManifest } from './release-manifest';

async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('csvCell', () => {
  it('defuses cells a spreadsheet would run as formulas and quotes what CSV needs quoted', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+41 22')).toBe("'+41 22");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('patient-7')).toBe('patient-7');
    expect(csvCell(12)).toBe('12');
  });
});

describe('ReleaseExporter against the real database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let storage: ObjectStorage;
  let root: string;
  let patients: FixturePatient[];
  let releaseId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ ...dataSourceOptions(database.url, 2), url: database.url });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'lesionlab-exporter-'));
    storage = new FsObjectStorage(root, new UrlSigner('x'.repeat(32), 'http://localhost'), 60);
    patients = await seedCatalog(dataSource, { masked: 2, labelOnly: 1, negative: 0, unknown: 0, slicesPerPatient: 2 });
    // Two names that become the same file name once unsafe characters are replaced, and a formula.
    const names = ['ct a', 'ct_a', '=HYPERLINK("http://evil","x")'];
    for (const [index, name] of names.entries()) await dataSource.query('UPDATE patients SET external_id = $2 WHERE id = $1', [patients[index].id, name]);

    const params = createReleaseSchema.parse({ name: 'export', seed: 'seed-1' });
    const [row] = await dataSource.query(`INSERT INTO releases (name, version, params) VALUES ('export', 1, $1) RETURNING id`, [JSON.stringify(params)]);
    releaseId = row.id;
    await new ReleaseBuilder(dataSource, storage).build(releaseId);
    const [release] = await dataSource.query('SELECT manifest_blob FROM releases WHERE id = $1', [releaseId]);
    for (const item of parseManifest(await readObject(storage, blobKey(release.manifest_blob.trim())))) {
      await storage.put(blobKey(item.image_sha256), Buffer.from(`pixels of ${item.slice_id}`));
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('gives every slice its own PNG file names, even when patient names collide once made safe', async () => {
    const { files } = await new ReleaseExporter(dataSource, storage).export(releaseId, 'png');
    const images = files.map((f) => f.path).filter((p) => p.startsWith('Imgs/'));
    expect(images).toHaveLength(2); // one masked slice (index 0) per masked patient
    expect(new Set(images).size).toBe(2);
    for (const image of images) expect(image).toMatch(/^Imgs\/ct_a_0000_[0-9a-f-]{36}\.png$/);
    const contents = await Promise.all(images.map((p) => readObject(storage, `exports/${releaseId}/png/${p}`)));
    expect(new Set(contents.map(String)).size).toBe(2);
    const listed = (await Promise.all(['train', 'val', 'test'].map((s) => readObject(storage, `exports/${releaseId}/png/${s}.txt`)))).join('').trim().split('\n');
    expect(listed.sort()).toEqual(images.map((p) => p.slice('Imgs/'.length, -'.png'.length)).sort());
  });

  it('writes the patient-label CSV with formula-leading names defused', async () => {
    await new ReleaseExporter(dataSource, storage).export(releaseId, 'csv');
    const csv = String(await readObject(storage, `exports/${releaseId}/csv/patient-labels.csv`));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")",covid,`);
    expect(csv.split('\n').filter((line) => line.startsWith('='))).toEqual([]);
  });
});
