import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeCocoRle } from '@lesionlab/mask';
import { blobKey } from '@lesionlab/platform';
import { createCatalogTestContext, SHARED_DATA, sharedDataPresent, type CatalogTestContext } from '../../test/catalog-test-context';
import { writeDicom, writeNifti } from '../../test/ct-files';
import { SlicePixelsService } from '../slice-pixels.service';

describe('importers against a real database and storage', () => {
  let context: CatalogTestContext;
  let haveSharedData = false;

  beforeAll(async () => {
    context = await createCatalogTestContext();
    haveSharedData = await sharedDataPresent();
    if (!haveSharedData) console.warn(`skipping the real-data imports: ${SHARED_DATA} is absent`);
  });
  afterAll(() => context.close());

  const q = <T = Record<string, unknown>>(sql: string, values: unknown[] = []) => context.dataSource.query(sql, values) as Promise<T[]>;

  async function sliceCount(importId: string): Promise<number> {
    return Number((await q<{ n: string }>('SELECT count(*) AS n FROM slices WHERE import_id = $1', [importId]))[0].n);
  }

  it('imports the COVID-CS examples with labels from a CSV, then again adding nothing', async () => {
    if (!haveSharedData) return;
    const files = await fs.readdir(path.join(SHARED_DATA, 'covid-cs-examples'));
    const patients = files.map((f) => f.slice(0, 32));
    const labels = path.join(context.scratch, 'covid-cs-labels.csv');
    await fs.writeFile(labels, `patient_id,label\n${patients.map((p, i) => `${p},${i % 2 ? 'negative' : 'covid'}`).join('\n')}\n`);

    const first = await context.runImport('covid-cs', { kind: 'path', path: path.join(SHARED_DATA, 'covid-cs-examples') }, { labels });
    expect(first).toMatchObject({ status: 'succeeded', found: files.length, imported: files.length, duplicates: 0, failed: 0 });
    const rows = await q<{ external_id: string; label: string; cohort: string; supervision: string; slice_index: number; width: number; bit_depth: number }>(
      `SELECT p.external_id, p.label, s.cohort, s.supervision, s.slice_index, s.width, s.bit_depth FROM slices s JOIN patients p ON p.id = s.patient_id WHERE p.collection = 'covid-cs'`,
    );
    expect(rows).toHaveLength(files.length);
    for (const [i, patient] of patients.entries()) {
      const row = rows.find((r) => r.external_id === patient)!;
      const expected = i % 2 ? 'negative' : 'covid';
      expect(row).toMatchObject({ label: expected, cohort: expected, supervision: i % 2 ? 'negative' : 'patient', slice_index: Number(files[i].slice(33, -4)), width: 512, bit_depth: 8 });
    }

    const again = await context.runImport('covid-cs', { kind: 'path', path: path.join(SHARED_DATA, 'covid-cs-examples') }, { labels });
    expect(again).toMatchObject({ status: 'succeeded', found: files.length, imported: 0, duplicates: files.length });
    expect(await sliceCount(again.id)).toBe(0);
  });

  it('imports the MedSeg manifest with its 50 masks as import revisions, pixel-supervised', async () => {
    if (!haveSharedData) return;
    const run = await context.runImport('manifest', { kind: 'path', path: path.join(SHARED_DATA, 'medseg-ct100/manifest.csv') }, { label: 'covid' });
    expect(run).toMatchObject({ status: 'succeeded', found: 50, imported: 50, failed: 0, masks: 50, error: null });
    const supervision = await q<{ supervision: string; n: string }>('SELECT supervision, count(*) AS n FROM slices WHERE import_id = $1 GROUP BY 1', [run.id]);
    expect(supervision).toEqual([{ supervision: 'pixel', n: '50' }]);
    // The manifest names no patients: each slice is an unknown patient of its own, never one big patient.
    const [patients] = await q<{ n: string; unknown: string }>(
      `SELECT count(DISTINCT p.id) AS n, count(DISTINCT p.id) FILTER (WHERE (p.metadata->>'patientUnknown')::boolean) AS unknown
         FROM slices s JOIN patients p ON p.id = s.patient_id WHERE s.import_id = $1`,
      [run.id],
    );
    expect(patients).toEqual({ n: '50', unknown: '50' });
    // The stored mask is the PNG's lesion pixels, no more, no less.
    const [revision] = await q<{ rle_counts: string; height: number; width: number; source_name: string }>(
      `SELECT m.rle_counts, m.height, m.width, s.source_name FROM mask_revisions m JOIN slices s ON s.id = m.slice_id WHERE s.import_id = $1 AND s.slice_index = 3`,
      [run.id],
    );
    const mask = decodeCocoRle({ size: [revision.height, revision.width], counts: revision.rle_counts });
    const { data } = await sharp(path.join(SHARED_DATA, 'medseg-ct100/masks/tr_mask_0003.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(Array.from(mask.data)).toEqual(Array.from(data, (v) => (v > 0 ? 1 : 0)));
    const again = await context.runImport('manifest', { kind: 'path', path: path.join(SHARED_DATA, 'medseg-ct100/manifest.csv') }, { label: 'covid' });
    expect(again).toMatchObject({ imported: 0, duplicates: 50, masks: 0 });
  });

  it('imports the COVID-CT manifest: every patient with its label, colour images kept as originals', async () => {
    if (!haveSharedData) return;
    const run = await context.runImport('manifest', { kind: 'path', path: path.join(SHARED_DATA, 'covid-ct/manifest.csv') });
    expect(run).toMatchObject({ status: 'succeeded', found: 600, failed: 0 });
    expect(run.imported + run.duplicates).toBe(600);
    const patients = await q<{ label: string; n: string }>(`SELECT label, count(*) AS n FROM patients WHERE collection = 'covid-ct' GROUP BY 1 ORDER BY 1`);
    const manifest = (await fs.readFile(path.join(SHARED_DATA, 'covid-ct/manifest.csv'), 'utf8')).trim().split(/\r?\n/).slice(1).map((l) => l.trim().split(','));
    const byLabel = (label: string) => new Set(manifest.filter((r) => r[2] === label).map((r) => r[1])).size;
    expect(patients).toEqual([
      { label: 'covid', n: String(byLabel('covid')) },
      { label: 'negative', n: String(byLabel('noncovid')) },
    ]);
    expect(byLabel('covid') + byLabel('noncovid')).toBeGreaterThan(300);
    const converted = await q<{ n: string }>('SELECT count(*) AS n FROM slices WHERE import_id = $1 AND original_blob IS NOT NULL', [run.id]);
    expect(Number(converted[0].n)).toBeGreaterThan(0);
  });

  it('lists a truncated PNG and a garbage .dcm in the failures and imports the good files', async () => {
    const folder = path.join(context.scratch, 'mixed');
    await fs.mkdir(folder);
    const good = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 100, b: 50 } } }).png().toBuffer();
    await fs.writeFile(path.join(folder, 'good_1.png'), good);
    await fs.writeFile(path.join(folder, 'good_2.png'), await sharp(Buffer.alloc(40 * 30, 90), { raw: { width: 40, height: 30, channels: 1 } }).png().toBuffer());
    await fs.writeFile(path.join(folder, 'broken_3.png'), good.subarray(0, good.length - 40));
    const images = await context.runImport('images', { kind: 'path', path: folder }, { patient: 'mixed-patient' });
    expect(images).toMatchObject({ status: 'succeeded', found: 3, imported: 2, failed: 1 });
    expect(images.failures).toEqual([{ file: 'broken_3.png', reason: expect.stringMatching(/cannot decode/) }]);
    const [rgb] = await q<{ original_blob: string | null }>(`SELECT original_blob FROM slices WHERE source_name = 'good_1.png'`);
    expect(rgb.original_blob).toMatch(/^[0-9a-f]{64}$/);

    const dicomFolder = path.join(context.scratch, 'dicom-mixed');
    await fs.mkdir(dicomFolder);
    await fs.writeFile(path.join(dicomFolder, 'garbage.dcm'), Buffer.from('this is not DICOM at all, just text pretending'));
    await fs.writeFile(path.join(dicomFolder, 'ok.dcm'), writeDicom({ patientId: 'P-9', studyUid: '1.2.3', seriesUid: '1.2.3.9', instance: 1, z: 0, rows: 4, columns: 4, stored: new Int16Array(16).fill(24), slope: 1, intercept: -1024 }));
    const dicom = await context.runImport('dicom', { kind: 'path', path: dicomFolder });
    expect(dicom).toMatchObject({ status: 'succeeded', imported: 1, failed: 1 });
    expect(dicom.failures[0]).toEqual({ file: 'garbage.dcm', reason: expect.stringMatching(/not a readable DICOM file/) });
  });

  it('records the masks that fit their image and lists an image whose mask does not', async () => {
    const folder = path.join(context.scratch, 'masked');
    await fs.mkdir(path.join(folder, 'images'), { recursive: true });
    await fs.mkdir(path.join(folder, 'masks'));
    const grey = (width: number, height: number, value: number) => sharp(Buffer.alloc(width * height, value), { raw: { width, height, channels: 1 } }).toColourspace('b-w');
    await fs.writeFile(path.join(folder, 'images/m_1.jpg'), await grey(40, 30, 120).jpeg().toBuffer());
    await fs.writeFile(path.join(folder, 'images/m_2.jpg'), await grey(40, 30, 60).jpeg().toBuffer());
    const lesion = Buffer.alloc(40 * 30);
    for (let y = 10; y < 20; y++) lesion.fill(200, y * 40 + 5, y * 40 + 15);
    await fs.writeFile(path.join(folder, 'masks/m_1.png'), await sharp(lesion, { raw: { width: 40, height: 30, channels: 1 } }).toColourspace('b-w').png().toBuffer());
    await fs.writeFile(path.join(folder, 'masks/m_2.png'), await grey(20, 10, 255).png().toBuffer());
    const run = await context.runImport('images', { kind: 'path', path: path.join(folder, 'images') }, { patient: 'masked', masks: path.join(folder, 'masks'), maskThreshold: 128 });
    expect(run).toMatchObject({ status: 'succeeded', found: 2, imported: 1, failed: 1, masks: 1 });
    expect(run.failures).toEqual([{ file: 'm_2.jpg', reason: 'its mask m_2.png is 20x10, the image 40x30' }]);
    const [revision] = await q<{ rle_counts: string; thumbnail_blob: string }>(
      'SELECT m.rle_counts, s.thumbnail_blob FROM mask_revisions m JOIN slices s ON s.id = m.slice_id WHERE s.import_id = $1',
      [run.id],
    );
    expect(decodeCocoRle({ size: [30, 40], counts: revision.rle_counts }).data.reduce((sum, v) => sum + v, 0)).toBe(100);
    const thumbnail = Buffer.concat(await (await context.storage.get(blobKey(revision.thumbnail_blob))).toArray());
    expect(await sharp(thumbnail).metadata()).toMatchObject({ width: 128, height: 96, channels: 1 });

    // The whole folder as the source (as an upload sends it): the masks folder and the labels CSV inside it are no slices.
    await fs.writeFile(path.join(folder, 'labels.csv'), 'patient_id,label\nimages,covid\n');
    const whole = await context.runImport('images', { kind: 'path', path: folder }, { masks: 'masks', labels: 'labels.csv', maskThreshold: 128 });
    expect(whole).toMatchObject({ status: 'succeeded', found: 2, imported: 1, failed: 1, masks: 1 });
    expect(whole.failures).toEqual([{ file: 'images/m_2.jpg', reason: 'its mask m_2.png is 20x10, the image 40x30' }]);
  });

  it('splits a NIfTI volume into 16-bit slices with HU intact, anterior up and patient right on the left, with label-volume masks', async () => {
    const [nx, ny, nz] = [6, 5, 3];
    const voxels = new Int16Array(nx * ny * nz).fill(-1000);
    // A marker at the most anterior (largest j with +y) and most right (smallest i with +x) voxel of slice 1.
    voxels[0 + (ny - 1) * nx + 1 * nx * ny] = 350;
    const labels = new Int16Array(nx * ny * nz);
    labels[0 + (ny - 1) * nx + 1 * nx * ny] = 1;
    const sform = [
      [0.7, 0, 0, -100],
      [0, 0.7, 0, -100],
      [0, 0, 5, 0],
    ];
    const folder = path.join(context.scratch, 'nifti');
    await fs.mkdir(path.join(folder, 'labels'), { recursive: true });
    await fs.writeFile(path.join(folder, 'case_7.nii'), writeNifti({ nx, ny, nz, voxels, sform }));
    await fs.writeFile(path.join(folder, 'labels/case_7.nii'), writeNifti({ nx, ny, nz, voxels: labels, sform }));
    const volumes = path.join(context.scratch, 'nifti-volumes');
    await fs.mkdir(volumes);
    await fs.rename(path.join(folder, 'case_7.nii'), path.join(volumes, 'case_7.nii'));

    const run = await context.runImport('nifti', { kind: 'path', path: volumes }, { masks: path.join(folder, 'labels') });
    expect(run).toMatchObject({ status: 'succeeded', found: 3, imported: 3, masks: 3, failed: 0 });
    const [slice] = await q<{ pixel_blob: string; bit_depth: number; pixel_representation: number; width: number; height: number; id: string }>(
      'SELECT id, pixel_blob, bit_depth, pixel_representation, width, height FROM slices WHERE import_id = $1 AND slice_index = 1',
      [run.id],
    );
    expect(slice).toMatchObject({ bit_depth: 16, pixel_representation: 1, width: nx, height: ny });
    const raw = await context.app.get(SlicePixelsService).rawPixels(slice.pixel_blob, 16);
    const values = Array.from({ length: nx * ny }, (_, i) => raw.readInt16LE(i * 2));
    expect(values[0]).toBe(350); // top-left on screen
    expect(values.filter((v) => v === -1000)).toHaveLength(nx * ny - 1);
    const [mask] = await q<{ rle_counts: string }>('SELECT rle_counts FROM mask_revisions WHERE slice_id = $1', [slice.id]);
    expect(decodeCocoRle({ size: [ny, nx], counts: mask.rle_counts }).data[0]).toBe(1);
  });

  it('groups DICOM files into series by UID, orders them by position and keeps HU through slope and intercept', async () => {
    const folder = path.join(context.scratch, 'dicom');
    await fs.mkdir(folder);
    const base = { patientId: 'PAT-1', studyUid: '1.2.826.1', rows: 3, columns: 2, slope: 1, intercept: -1024 };
    await fs.writeFile(path.join(folder, 'a.dcm'), writeDicom({ ...base, seriesUid: '1.2.826.1.1', instance: 2, z: -10, stored: new Int16Array([0, 1, 2, 3, 4, 1024]) }));
    await fs.writeFile(path.join(folder, 'b.dcm'), writeDicom({ ...base, seriesUid: '1.2.826.1.1', instance: 1, z: -15, stored: new Int16Array(6).fill(5) }));
    await fs.writeFile(path.join(folder, 'c'), writeDicom({ ...base, seriesUid: '1.2.826.1.2', instance: 1, z: 0, stored: new Int16Array(6).fill(7) }));
    const run = await context.runImport('dicom', { kind: 'path', path: folder });
    expect(run).toMatchObject({ status: 'succeeded', imported: 3, failed: 0 });
    const rows = await q<{ source_name: string; slice_index: number; series_uid: string; study_uid: string; external_id: string; rescale_intercept: number; pixel_blob: string; window_center: number }>(
      `SELECT s.source_name, s.slice_index, sc.series_uid, sc.study_uid, p.external_id, s.rescale_intercept, s.pixel_blob, s.window_center
         FROM slices s JOIN scans sc ON sc.id = s.scan_id JOIN patients p ON p.id = s.patient_id WHERE s.import_id = $1 ORDER BY s.source_name`,
      [run.id],
    );
    expect(rows.map((r) => [r.source_name, r.slice_index, r.series_uid])).toEqual([
      ['a.dcm', 1, '1.2.826.1.1'],
      ['b.dcm', 0, '1.2.826.1.1'],
      ['c', 0, '1.2.826.1.2'],
    ]);
    expect(rows[0]).toMatchObject({ study_uid: '1.2.826.1', external_id: 'PAT-1', rescale_intercept: -1024, window_center: -600 });
    const raw = await context.app.get(SlicePixelsService).rawPixels(rows[0].pixel_blob, 16);
    expect(Array.from({ length: 6 }, (_, i) => raw.readInt16LE(i * 2) - 1024)).toEqual([-1024, -1023, -1022, -1021, -1020, 0]);
  });

  it('keeps a patient label change in sync on its slices', async () => {
    const folder = path.join(context.scratch, 'relabel');
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'x_1.png'), await sharp({ create: { width: 8, height: 8, channels: 3, background: '#333' } }).png().toBuffer());
    await context.runImport('images', { kind: 'path', path: folder }, { patient: 'relabel-me', label: 'covid' });
    const labels = path.join(context.scratch, 'relabel.csv');
    await fs.writeFile(labels, 'patient_id,label\nrelabel-me,negative\n');
    await context.runImport('images', { kind: 'path', path: folder }, { patient: 'relabel-me', labels });
    const [row] = await q<{ label: string; cohort: string; supervision: string }>(
      `SELECT p.label, s.cohort, s.supervision FROM slices s JOIN patients p ON p.id = s.patient_id WHERE p.external_id = 'relabel-me'`,
    );
    expect(row).toEqual({ label: 'negative', cohort: 'negative', supervision: 'negative' });
  });

  it('reads PNG pixels back byte for byte', async () => {
    const [slice] = await q<{ pixel_blob: string; width: number; height: number }>(`SELECT pixel_blob, width, height FROM slices WHERE source_name = 'good_2.png'`);
    const raw = await context.app.get(SlicePixelsService).rawPixels(slice.pixel_blob, 8);
    expect(raw.length).toBe(slice.width * slice.height);
    expect(new Set(raw)).toEqual(new Set([90]));
  });
});
