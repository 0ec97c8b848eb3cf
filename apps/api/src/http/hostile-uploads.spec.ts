/**
 * Upload sniffing's part of the hostile-input suite (libs/catalog/src/hostile-input.spec.ts has the
 * decoders): random bytes under every kind of name, mutated real images and crafted hostile files
 * end in "accepted" or a problem naming the file, never a throw, and never allocate a bomb's size.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { gzipBomb, jpegDeclaring, niftiHeaderDeclaring, pngBomb } from '@lesionlab/catalog/testing';
import { sniffUpload } from './upload-sniffing';

const MAX_PIXELS = 8192 * 8192;
const NAMES = ['a.png', 'b.jpg', 'c.jpeg', 'd.tif', 'e.webp', 'v.nii', 'v.nii.gz', 'x.gz', 'IM0001', 'c.dcm', 'm.csv', 'l.tsv', 'n.json', 'evil.exe', 'dir/sub/f.png'];

describe('upload sniffing against hostile files', () => {
  let folder: string;
  let written = 0;
  let peakBefore: number;
  const stage = async (bytes: Uint8Array) => {
    const file = path.join(folder, String(written++));
    await fs.writeFile(file, bytes);
    return file;
  };
  /** Accepted (null) or a problem that names the file; a throw fails the property. */
  const sniffHolds = async (name: string, bytes: Uint8Array) => {
    const problem = await sniffUpload(name, await stage(bytes), MAX_PIXELS);
    if (problem !== null) expect(problem).toContain(`"${name}"`);
    return problem;
  };
  const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

  beforeAll(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'hostile-uploads-'));
    peakBefore = peakRssMiB();
  });
  afterAll(async () => {
    await fs.rm(folder, { recursive: true, force: true });
    expect(peakRssMiB() - peakBefore).toBeLessThan(512);
  });

  it('random bytes under any name', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NAMES), fc.uint8Array({ maxLength: 4096 }), async (name, bytes) => {
        await sniffHolds(name, bytes);
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });

  it('mutated real PNGs and JPEGs under image names', async () => {
    const grey = Buffer.from(Array.from({ length: 32 * 24 }, (_, i) => i % 251));
    const images = [
      await sharp(grey, { raw: { width: 32, height: 24, channels: 1 } }).png().toBuffer(),
      await sharp(grey, { raw: { width: 32, height: 24, channels: 1 } }).jpeg().toBuffer(),
    ];
    const mutation = fc.record({
      index: fc.nat({ max: images.length - 1 }),
      writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('a.png', 'b.jpg'), mutation, async (name, { index, writes, cut }) => {
        const bytes = Buffer.from(images[index]);
        for (const [at, value] of writes) bytes[at % bytes.length] = value;
        await sniffHolds(name, cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1)));
      }),
      { numRuns: 150, seed: 20261206 },
    );
  });

  it('crafted: a 40000x40000 PNG over a 2 GiB IDAT, a JPEG declaring 65000x65000, a truncated JPEG, a 4 GiB gzip bomb, a NIfTI header over 32767³', async () => {
    expect(await sniffHolds('bomb.png', pngBomb(40000, 40000, 2048))).toBe('"bomb.png" is 40000x40000 pixels, over IMPORT_MAX_SLICE_PIXELS (67108864)');
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#468' } }).jpeg().toBuffer();
    expect(await sniffHolds('huge.jpg', jpegDeclaring(jpeg, 65000, 65000))).toBe('"huge.jpg" is 65000x65000 pixels, over IMPORT_MAX_SLICE_PIXELS (67108864)');
    expect(await sniffHolds('cut.jpg', jpeg.subarray(0, jpeg.length >> 1))).toMatch(/^"cut.jpg" is not an image that decodes/);
    // Sniffing reads only the gzip magic: the import inflates, within its limits.
    expect(await sniffHolds('bomb.nii.gz', gzipBomb(4096))).toBeNull();
    expect(await sniffHolds('nan.nii', niftiHeaderDeclaring(32767, 32767, 32767, NaN))).toBeNull();
  });
});
