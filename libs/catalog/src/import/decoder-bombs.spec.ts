import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { ImportFormat, ImportRun } from '@lesionlab/contracts';
import { createCatalogTestContext, type CatalogTestContext } from '../../test/catalog-test-context';
import { blackPng, dicomSlice, gzipBomb, jpegDeclaring, niftiHeaderDeclaring, pngBomb, smallNifti } from '../../test/hostile-files';

const grey = (width: number, height: number, value: number) => sharp(Buffer.alloc(width * height, value), { raw: { width, height, channels: 1 } }).toColourspace('b-w');

async function writeFolder(context: CatalogTestContext, name: string, files: Record<string, Buffer | Promise<Buffer>>): Promise<string> {
  const folder = path.join(context.scratch, name);
  await fs.mkdir(folder);
  for (const [file, bytes] of Object.entries(files)) await fs.writeFile(path.join(folder, file), await bytes);
  return folder;
}

/** The failure reasons of an import, by file. */
const reasons = (run: ImportRun) => Object.fromEntries(run.failures.map((f) => [f.file, f.reason]));

/** An import never loses a pixel worker to a bad file: no failure says one stopped. */
function expectWorkersUp(run: ImportRun): void {
  for (const failure of run.failures) expect(failure.reason).not.toMatch(/pixel worker stopped/);
}

describe('decoder bombs among good files, under small configured limits', () => {
  // Small limits keep the scaled-down bombs below cheap to build (and cheap for code that ignored them).
  const SLICE_PIXELS = 256 * 256;
  const VOLUME_BYTES = 1024 * 1024;
  let context: CatalogTestContext;
  const run = (format: ImportFormat, folder: string) => context.runImport(format, { kind: 'path', path: folder }, { patient: 'bombs' });

  beforeAll(async () => {
    context = await createCatalogTestContext({ IMPORT_MAX_SLICE_PIXELS: String(SLICE_PIXELS), IMPORT_MAX_VOLUME_BYTES: String(VOLUME_BYTES) });
  });
  afterAll(() => context.close());

  it('images: a grey PNG, a grey JPEG and a colour PNG over IMPORT_MAX_SLICE_PIXELS fail naming it; the good files import', async () => {
    const folder = await writeFolder(context, 'images', {
      'good_1.png': grey(40, 30, 90).png().toBuffer(),
      'good_2.jpg': grey(64, 64, 120).jpeg().toBuffer(),
      'huge_3.png': blackPng(1024, 1024),
      'huge_4.jpg': grey(512, 512, 30).jpeg().toBuffer(),
      'huge_5.png': sharp({ create: { width: 300, height: 300, channels: 3, background: '#864' } }).png().toBuffer(),
    });
    const images = await run('images', folder);
    expect(images).toMatchObject({ status: 'succeeded', found: 5, imported: 2, failed: 3 });
    expect(reasons(images)).toEqual({
      'huge_3.png': expect.stringMatching(/1024x1024 pixels is over IMPORT_MAX_SLICE_PIXELS \(65536\)/),
      'huge_4.jpg': expect.stringMatching(/512x512 pixels is over IMPORT_MAX_SLICE_PIXELS \(65536\)/),
      'huge_5.png': expect.stringMatching(/300x300 pixels is over IMPORT_MAX_SLICE_PIXELS \(65536\)/),
    });
    expectWorkersUp(images);
  });

  it('NIfTI: a NaN vox_offset, a slice over the pixel cap, volumes over IMPORT_MAX_VOLUME_BYTES (plain and gzipped) fail; the good volume imports', async () => {
    const folder = await writeFolder(context, 'nifti', {
      'good.nii': smallNifti(8, 8, 3),
      'nan.nii': niftiHeaderDeclaring(64, 64, 4, NaN),
      'wide.nii': smallNifti(300, 300, 1),
      'deep.nii.gz': zlib.gzipSync(smallNifti(200, 200, 20)),
      'bomb.nii.gz': gzipBomb(64, niftiHeaderDeclaring(256, 256, 16)),
    });
    const nifti = await run('nifti', folder);
    expect(nifti).toMatchObject({ status: 'succeeded', imported: 3, failed: 4 });
    expect(reasons(nifti)).toEqual({
      'nan.nii': expect.stringMatching(/vox_offset NaN is not a byte offset/),
      'wide.nii': expect.stringMatching(/300x300 pixels is over IMPORT_MAX_SLICE_PIXELS \(65536\)/),
      'deep.nii.gz': expect.stringMatching(/200x200x20 voxels .* over IMPORT_MAX_VOLUME_BYTES \(1048576\)/),
      'bomb.nii.gz': expect.stringMatching(/256x256x16 voxels .* over IMPORT_MAX_VOLUME_BYTES \(1048576\)/),
    });
  });

  it('DICOM: rows x columns over IMPORT_MAX_SLICE_PIXELS fails naming it; the good slice imports', async () => {
    const folder = await writeFolder(context, 'dicom', { 'ok.dcm': dicomSlice(4, 4), 'huge.dcm': dicomSlice(300, 300, 2) });
    const dicom = await run('dicom', folder);
    expect(dicom).toMatchObject({ status: 'succeeded', imported: 1, failed: 1 });
    expect(reasons(dicom)).toEqual({ 'huge.dcm': expect.stringMatching(/300x300 pixels is over IMPORT_MAX_SLICE_PIXELS \(65536\)/) });
  });

  it('a source file larger than IMPORT_MAX_VOLUME_BYTES is refused before (a folder) or while (the object store) it is read', async () => {
    const padded = Buffer.concat([blackPng(8, 8), Buffer.alloc(VOLUME_BYTES)]);
    const folder = await writeFolder(context, 'big-file', { 'good_1.png': grey(8, 8, 1).png().toBuffer(), 'padded_2.png': padded });
    const images = await run('images', folder);
    expect(images).toMatchObject({ status: 'succeeded', imported: 1, failed: 1 });
    expect(reasons(images)).toEqual({ 'padded_2.png': `the file: ${padded.length} bytes, over IMPORT_MAX_VOLUME_BYTES (1048576)` });

    // The same from the object store (where uploads are imported from): reading stops past the limit.
    await context.storage.put('big-objects/good_1.png', await grey(8, 8, 1).png().toBuffer());
    await context.storage.put('big-objects/padded_2.png', padded);
    const objects = await context.runImport('images', { kind: 's3', prefix: 'big-objects' }, { patient: 'bombs' });
    expect(objects).toMatchObject({ status: 'succeeded', imported: 1, failed: 1 });
    expect(reasons(objects)).toEqual({ 'padded_2.png': 'the file holds more than IMPORT_MAX_VOLUME_BYTES (1048576) bytes' });
  });
});

describe('real-size decoder bombs at the default limits', () => {
  let context: CatalogTestContext;

  beforeAll(async () => {
    context = await createCatalogTestContext();
  });
  afterAll(() => context.close());

  /** The process's peak resident memory in MiB: it only grows, so it shows any allocation a bomb got through. */
  const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

  it('a 40000x40000 PNG over a 2 GiB IDAT, a JPEG declaring 65000x65000, a NaN vox_offset over 32767³, gzip bombs and a 65535² DICOM fail or stop early, allocating nothing like their size', async () => {
    const jpeg = await grey(16, 16, 50).jpeg().toBuffer();
    const images = await writeFolder(context, 'real-images', {
      'good_1.png': grey(40, 30, 90).png().toBuffer(),
      'bomb_2.png': pngBomb(40000, 40000, 2048),
      'huge_3.jpg': jpegDeclaring(jpeg, 65000, 65000),
    });
    const volumes = await writeFolder(context, 'real-nifti', {
      'good.nii': smallNifti(8, 8, 2),
      'nan.nii': niftiHeaderDeclaring(32767, 32767, 32767, NaN),
      // a valid 8x8 header and its 128 bytes of voxels, followed by 4 GiB of zeros: only what the header needs is inflated
      'tail.nii.gz': gzipBomb(4096, niftiHeaderDeclaring(8, 8, 1)),
      'deep.nii.gz': gzipBomb(4096, niftiHeaderDeclaring(8192, 8192, 17)),
    });
    const dicom = await writeFolder(context, 'real-dicom', { 'ok.dcm': dicomSlice(4, 4), 'huge.dcm': dicomSlice(65535, 65535, 2, 16) });
    const before = peakRssMiB();

    const imageRun = await context.runImport('images', { kind: 'path', path: images }, { patient: 'real-bombs' });
    expect(imageRun).toMatchObject({ status: 'succeeded', imported: 1, failed: 2 });
    expect(reasons(imageRun)).toEqual({
      'bomb_2.png': expect.stringMatching(/40000x40000 pixels is over IMPORT_MAX_SLICE_PIXELS \(67108864\)/),
      'huge_3.jpg': expect.stringMatching(/65000x65000 pixels is over IMPORT_MAX_SLICE_PIXELS \(67108864\)/),
    });
    expectWorkersUp(imageRun);

    const niftiRun = await context.runImport('nifti', { kind: 'path', path: volumes });
    expect(niftiRun).toMatchObject({ status: 'succeeded', imported: 3, failed: 2 });
    expect(reasons(niftiRun)).toEqual({
      'nan.nii': expect.stringMatching(/vox_offset NaN is not a byte offset/),
      'deep.nii.gz': expect.stringMatching(/8192x8192x17 voxels .* over IMPORT_MAX_VOLUME_BYTES \(2147483648\)/),
    });

    const dicomRun = await context.runImport('dicom', { kind: 'path', path: dicom });
    expect(dicomRun).toMatchObject({ status: 'succeeded', imported: 1, failed: 1 });
    expect(reasons(dicomRun)).toEqual({ 'huge.dcm': expect.stringMatching(/65535x65535 pixels is over IMPORT_MAX_SLICE_PIXELS \(67108864\)/) });

    // (pixel worker threads starting here take some 50 MiB each; any of these bombs would take gigabytes)
    expect(peakRssMiB() - before).toBeLessThan(512);
  });
});
