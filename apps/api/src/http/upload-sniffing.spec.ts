import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { sniffUpload } from './upload-sniffing';

const MAX_PIXELS = 8192 * 8192;

describe('upload content sniffing', () => {
  let folder: string;
  let written = 0;
  /** Sniffs bytes as the controller does: staged in a file, under their upload name. */
  const sniff = async (name: string, bytes: Buffer | Uint8Array, maxPixels = MAX_PIXELS) => {
    const file = path.join(folder, String(written++));
    await fs.writeFile(file, bytes);
    return sniffUpload(name, file, maxPixels);
  };

  beforeAll(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'sniff-'));
  });
  afterAll(() => fs.rm(folder, { recursive: true, force: true }));

  it('accepts a PNG that decodes, refuses random bytes, truncated images and dimensions over IMPORT_MAX_SLICE_PIXELS', async () => {
    const png = await sharp(Buffer.alloc(16 * 12, 90), { raw: { width: 16, height: 12, channels: 1 } }).png().toBuffer();
    expect(await sniff('scan/0001.png', png)).toBeNull();
    expect(await sniff('x.png', randomBytes(2000))).toMatch(/is not an image that decodes/);
    expect(await sniff('x.png', png.subarray(0, png.length - 20))).toMatch(/is not an image that decodes/);
    const huge = Buffer.from(png);
    huge.writeUInt32BE(100_000, 16); // IHDR width
    huge.writeUInt32BE(100_000, 20); // IHDR height
    expect(await sniff('huge.png', huge)).toBe('"huge.png" is 100000x100000 pixels, over IMPORT_MAX_SLICE_PIXELS (67108864)');
    expect(await sniff('scan/0001.png', png, 100)).toBe('"scan/0001.png" is 16x12 pixels, over IMPORT_MAX_SLICE_PIXELS (100)');
  });

  it('checks NIfTI, DICOM, gzip and text by their bytes', async () => {
    const nifti = Buffer.alloc(400);
    nifti.writeInt32LE(348, 0);
    expect(await sniff('v.nii', nifti)).toBeNull();
    expect(await sniff('v.nii', nifti.subarray(0, 100))).toMatch(/no NIfTI header/);
    const dicom = Buffer.alloc(200);
    dicom.write('DICM', 128, 'latin1');
    expect(await sniff('IM0001', dicom)).toBeNull();
    expect(await sniff('a.dcm', randomBytes(200).fill(0, 128, 132))).toMatch(/no DICOM marker/);
    expect(await sniff('v.nii.gz', Buffer.from([0x1f, 0x8b, 8, 0]))).toBeNull();
    expect(await sniff('v.nii.gz', Buffer.from('plain'))).toMatch(/not gzip/);
    expect(await sniff('m.csv', Buffer.from('path,label\nä.png,covid\n'))).toBeNull();
    expect(await sniff('m.csv', Buffer.from([0x61, 0xff, 0xfe, 0x0a]))).toMatch(/not valid UTF-8/);
    expect(await sniff('evil.exe', Buffer.from('MZ'))).toMatch(/not a supported file type/);
  });

  it('reads text in pieces: a character split across two pieces is valid, a cut-off one at the end is not', async () => {
    const text = Buffer.concat([Buffer.from('a'.repeat(64 * 1024 - 1)), Buffer.from('ä,covid\n')]); // 'ä' spans the 64 KiB read boundary
    expect(await sniff('m.csv', text)).toBeNull();
    expect(await sniff('m.csv', Buffer.from('ä').subarray(0, 1))).toMatch(/not valid UTF-8/);
  });
});
