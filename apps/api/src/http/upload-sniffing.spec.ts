import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { sniffUpload } from './upload-sniffing';

describe('upload content sniffing', () => {
  it('accepts a PNG that decodes, refuses random bytes, truncated images and enormous dimensions', async () => {
    const png = await sharp(Buffer.alloc(16 * 12, 90), { raw: { width: 16, height: 12, channels: 1 } }).png().toBuffer();
    expect(await sniffUpload('scan/0001.png', png)).toBeNull();
    expect(await sniffUpload('x.png', randomBytes(2000))).toMatch(/is not an image that decodes/);
    expect(await sniffUpload('x.png', png.subarray(0, png.length - 20))).toMatch(/is not an image that decodes/);
    const huge = Buffer.from(png);
    huge.writeUInt32BE(100_000, 16); // IHDR width
    huge.writeUInt32BE(100_000, 20); // IHDR height
    expect(await sniffUpload('huge.png', huge)).toMatch(/is not an image that decodes/);
  });

  it('checks NIfTI, DICOM, gzip and text by their bytes', async () => {
    const nifti = Buffer.alloc(400);
    nifti.writeInt32LE(348, 0);
    expect(await sniffUpload('v.nii', nifti)).toBeNull();
    expect(await sniffUpload('v.nii', nifti.subarray(0, 100))).toMatch(/no NIfTI header/);
    const dicom = Buffer.alloc(200);
    dicom.write('DICM', 128, 'latin1');
    expect(await sniffUpload('IM0001', dicom)).toBeNull();
    expect(await sniffUpload('a.dcm', randomBytes(200).fill(0, 128, 132))).toMatch(/no DICOM marker/);
    expect(await sniffUpload('v.nii.gz', Buffer.from([0x1f, 0x8b, 8, 0]))).toBeNull();
    expect(await sniffUpload('v.nii.gz', Buffer.from('plain'))).toMatch(/not gzip/);
    expect(await sniffUpload('m.csv', Buffer.from('path,label\nä.png,covid\n'))).toBeNull();
    expect(await sniffUpload('m.csv', Buffer.from([0x61, 0xff, 0xfe, 0x0a]))).toMatch(/not valid UTF-8/);
    expect(await sniffUpload('evil.exe', Buffer.from('MZ'))).toMatch(/not a supported file type/);
  });
});
