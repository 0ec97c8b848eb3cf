/**
 * The hostile-input suite: every decoder and parser that takes user bytes (PNG, JPEG, NIfTI plain and
 * gzipped, DICOM, CSV manifests and labels, COCO RLE) meets random bytes, mutated valid files and a
 * corpus of crafted hostile files built here. Each must end in a value within the decode limits or
 * in a named error, never a crash, and never allocate past the limits. (Upload sniffing has its
 * part in apps/api/src/http/hostile-uploads.spec.ts.)
 */
import zlib from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { importOptionsSchema } from '@lesionlab/contracts';
import { decodeCocoRle, encodeCocoRle, MaskFormatError } from '@lesionlab/mask';
import { blackPng, DEFAULT_DECODE_LIMITS, dicomSlice, gzipBomb, jpegDeclaring, niftiHeaderDeclaring, pngBomb, smallNifti } from '../test/hostile-files';
import { DicomImporter } from './import/importers/dicom.importer';
import { ManifestImporter } from './import/importers/manifest.importer';
import type { ImportedSlice, Importer } from './import/imported-slice';
import { parseCsv, parseLabelsCsv } from './import/labels-csv';
import type { SourceTree } from './import/source-tree';
import { decodeMaskImage, decodeTo8BitGrey } from './pixels/decode-image';
import type { DecodeLimits } from './pixels/decode-limits';
import { encodeGreyPngSync, greyImage8, PNG_SIGNATURE, pngChunk } from '@lesionlab/platform';
import { readNiftiVolume } from './pixels/nifti-volume';

/** Small limits for the random inputs, so that whatever they decode to is cheap and checkable against them. */
const SMALL: DecodeLimits = { maxSlicePixels: 128 * 128, maxVolumeBytes: 1024 * 1024 };
const RUNS = { numRuns: 300, seed: 20261206 };

type Outcome<T> = { value: T } | { error: unknown };

async function settle<T>(run: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

/** A refusal, not a crash: an Error (of any realm) with a message, of none of the kinds a bug throws. */
function expectNamedError(error: unknown): void {
  expect(Object.prototype.toString.call(error)).toBe('[object Error]');
  const { name, message } = error as Error;
  expect(typeof message === 'string' && message.trim().length > 0).toBe(true);
  expect(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'InternalError']).not.toContain(name);
}

/** Runs a decoder: a value passes `check`, an error must be a named one. */
async function expectValueOrNamedError<T>(run: () => Promise<T> | T, check: (value: T) => void | Promise<void>): Promise<void> {
  const outcome = await settle(run);
  if ('error' in outcome) expectNamedError(outcome.error);
  else await check(outcome.value);
}

function expectWithinSlice(width: number, height: number, limits: DecodeLimits): void {
  expect(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1).toBe(true);
  expect(width * height).toBeLessThanOrEqual(limits.maxSlicePixels);
}

/** A copy of one of `files` with a few bytes overwritten (mostly in its first `headerBytes`), maybe cut short. */
function mutated(files: Buffer[], headerBytes: number): fc.Arbitrary<Buffer> {
  return fc
    .record({
      index: fc.nat({ max: files.length - 1 }),
      writes: fc.array(fc.tuple(fc.oneof(fc.nat({ max: headerBytes - 1 }), fc.nat()), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      cut: fc.option(fc.nat(), { nil: null }),
    })
    .map(({ index, writes, cut }) => {
      const bytes = Buffer.from(files[index]);
      for (const [at, value] of writes) bytes[at % bytes.length] = value;
      return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
    });
}

/** In-memory source files, for the importers' parsing (pure logic over the SourceTree interface). */
class MemoryTree implements SourceTree {
  readonly description = 'memory';
  constructor(private readonly files: Map<string, Buffer>) {}
  async listFiles(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }
  async read(relativePath: string): Promise<Buffer> {
    const bytes = this.files.get(relativePath);
    if (!bytes) throw new Error(`"${relativePath}" is not in the source`);
    return bytes;
  }
}

/** Plans an import of `files` and loads every unit: each unit ends in slices within the limits, or a named error. */
async function expectImporterHolds(importer: Importer, files: Map<string, Buffer>, limits: DecodeLimits, entry: string | null = null): Promise<void> {
  const options = importOptionsSchema.parse({});
  await expectValueOrNamedError(
    () => importer.plan({ tree: new MemoryTree(files), entry, masks: null, options, limits }),
    async (plan) => {
      for (const failure of plan.failures) expect(failure.reason.length).toBeGreaterThan(0);
      for (const unit of plan.units) {
        await expectValueOrNamedError(
          () => unit.load(),
          (slices: ImportedSlice[]) => {
            for (const slice of slices) {
              expectWithinSlice(slice.image.width, slice.image.height, limits);
              expect(slice.image.data.length).toBe((slice.image.width * slice.image.height * slice.image.bitDepth) / 8);
              expect(Number.isFinite(slice.rescaleSlope) && Number.isFinite(slice.rescaleIntercept)).toBe(true);
            }
          },
        );
      }
    },
  );
}

/** The process's peak resident memory in MiB (it only grows: any allocation a bomb got through shows). */
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

describe('hostile input', () => {
  let pngs: Buffer[];
  let jpegs: Buffer[];
  let peakBefore: number;

  beforeAll(async () => {
    peakBefore = peakRssMiB();
    const grey = Buffer.from(Array.from({ length: 24 * 20 }, (_, i) => (i * 37) % 256));
    pngs = [
      encodeGreyPngSync(greyImage8(24, 20, grey)),
      await sharp(grey, { raw: { width: 24, height: 20, channels: 1 } }).png({ compressionLevel: 9 }).toBuffer(),
      await sharp({ create: { width: 20, height: 16, channels: 4, background: { r: 200, g: 90, b: 10, alpha: 0.5 } } }).png().toBuffer(),
      await sharp(grey, { raw: { width: 24, height: 20, channels: 1 } }).png({ palette: true }).toBuffer(),
    ];
    jpegs = [
      await sharp(grey, { raw: { width: 24, height: 20, channels: 1 } }).toColourspace('b-w').jpeg().toBuffer(),
      await sharp({ create: { width: 32, height: 24, channels: 3, background: '#a63' } }).jpeg({ progressive: true }).toBuffer(),
    ];
  });

  // Whatever the properties decoded, the process never came near a bomb's size.
  // (Starting a pixel worker thread takes some 50 MiB; any of the bombs would take gigabytes.)
  afterAll(() => expect(peakRssMiB() - peakBefore).toBeLessThan(512));

  describe('PNG and JPEG (the image decoder and the mask decoder)', () => {
    const decodeBoth = async (bytes: Buffer) => {
      await expectValueOrNamedError(
        () => decodeTo8BitGrey(bytes, SMALL),
        ({ image }) => {
          expectWithinSlice(image.width, image.height, SMALL);
          expect(image.data.length).toBe(image.width * image.height);
        },
      );
      await expectValueOrNamedError(
        () => decodeMaskImage(bytes, 1, SMALL),
        (mask) => {
          expectWithinSlice(mask.width, mask.height, SMALL);
          expect(mask.data.every((v) => v === 0 || v === 1)).toBe(true);
        },
      );
    };

    it('random bytes, with and without an image signature', async () => {
      const signature = fc.constantFrom(Buffer.alloc(0), PNG_SIGNATURE, Buffer.from([0xff, 0xd8, 0xff]));
      await fc.assert(fc.asyncProperty(signature, fc.uint8Array({ maxLength: 2048 }), (head, tail) => decodeBoth(Buffer.concat([head, tail]))), RUNS);
    });

    it('mutated valid PNGs and JPEGs', async () => {
      await fc.assert(fc.asyncProperty(fc.oneof(mutated(pngs, 64), mutated(jpegs, 200)), decodeBoth), RUNS);
    });

    it('PNGs with valid checksums and any IHDR: sizes, bit depths, colour types, interlacing, IDAT data', async () => {
      const dimension = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(1, 129, 40000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1));
      const format = fc.oneof(
        fc.constant({ bitDepth: 8, colourType: 0, interlace: 0 }), // plain 8-bit grey, the fast path's kind
        fc.record({ bitDepth: fc.constantFrom(1, 2, 4, 8, 16, 3, 0), colourType: fc.constantFrom(0, 2, 3, 4, 6, 5), interlace: fc.constantFrom(0, 1, 2) }),
      );
      const header = fc.record({ width: dimension, height: dimension, format }).map(({ width, height, format }) => ({ width, height, ...format }));
      // IDAT: random bytes, zeros of a random length, or exactly the rows an 8-bit grey image of the declared size holds
      const idat = fc.oneof(fc.uint8Array({ maxLength: 512 }).map((bytes) => ({ random: Buffer.from(bytes) })), fc.integer({ min: 0, max: 200_000 }).map((zeros) => ({ zeros })), fc.constant({ exact: true }));
      await fc.assert(
        fc.asyncProperty(header, idat, async ({ width, height, bitDepth, colourType, interlace }, data) => {
          const ihdr = Buffer.alloc(13);
          ihdr.writeUInt32BE(width, 0);
          ihdr.writeUInt32BE(height, 4);
          ihdr.set([bitDepth, colourType, 0, 0, interlace], 8);
          const rows = 'random' in data ? data.random : zlib.deflateSync(Buffer.alloc('zeros' in data ? data.zeros : Math.min((width + 1) * height, 2_000_000)));
          await decodeBoth(Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0))]));
        }),
        RUNS,
      );
    });

    it('JPEGs whose frame header declares any size', async () => {
      const size = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 65535 }));
      await fc.assert(fc.asyncProperty(fc.nat({ max: jpegs.length - 1 }), size, size, (index, width, height) => decodeBoth(jpegDeclaring(jpegs[index], width, height))), RUNS);
    });
  });

  describe('NIfTI, plain and gzipped', () => {
    const readVolume = (bytes: Buffer) =>
      expectValueOrNamedError(
        () => readNiftiVolume(bytes, SMALL),
        (volume) => {
          expectWithinSlice(volume.nx, volume.ny, SMALL);
          expect(volume.nx * volume.ny * volume.nz * 2).toBeLessThanOrEqual(SMALL.maxVolumeBytes);
          expect(Number.isFinite(volume.slope) && Number.isFinite(volume.intercept)).toBe(true);
          // every voxel lies inside the data: the far corner reads
          expect(typeof volume.voxel(volume.nx - 1, volume.ny - 1, volume.nz - 1)).toBe('number');
        },
      );
    const float = fc.oneof(fc.float(), fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 351.6, 1e30));

    it('headers with any dimensions, data type, vox_offset, scaling and length', async () => {
      const base = smallNifti(6, 5, 3);
      const fields = fc.record({
        dims: fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 8, maxLength: 8 }),
        setDims: fc.boolean(),
        datatype: fc.oneof(fc.constantFrom(2, 4, 8, 16, 64, 256, 512, 768), fc.integer({ min: -32768, max: 32767 })),
        voxOffset: float,
        slope: float,
        intercept: float,
        length: fc.option(fc.nat({ max: base.length + 64 }), { nil: null }),
        gzip: fc.constantFrom('no', 'yes', 'corrupt'),
        flip: fc.nat(),
      });
      await fc.assert(
        fc.asyncProperty(fields, async ({ dims, setDims, datatype, voxOffset, slope, intercept, length, gzip, flip }) => {
          let bytes = Buffer.concat([base, Buffer.alloc(64)]);
          if (setDims) dims.forEach((d, i) => bytes.writeInt16LE(d, 40 + i * 2));
          bytes.writeInt16LE(datatype, 70);
          bytes.writeFloatLE(voxOffset, 108);
          bytes.writeFloatLE(slope, 112);
          bytes.writeFloatLE(intercept, 116);
          bytes = bytes.subarray(0, length ?? base.length);
          if (gzip !== 'no') bytes = zlib.gzipSync(bytes);
          if (gzip === 'corrupt') bytes[10 + (flip % (bytes.length - 10))] ^= 0x55;
          await readVolume(bytes);
        }),
        { ...RUNS, numRuns: 300 },
      );
    });

    it('headers declaring up to 300x300x64 voxels at any vox_offset, over data of the declared length or any other', async () => {
      const dimension = fc.integer({ min: -2, max: 300 });
      const input = fc.record({
        nx: dimension,
        ny: dimension,
        nz: fc.integer({ min: -2, max: 64 }),
        voxOffset: fc.oneof(fc.constant(352), float),
        data: fc.oneof(fc.constant(-1), fc.nat({ max: 400_000 })),
        gzip: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ nx, ny, nz, voxOffset, data, gzip }) => {
          const declared = Math.max(nx, 0) * Math.max(ny, 0) * Math.max(nz, 1) * 2;
          const bytes = Buffer.concat([niftiHeaderDeclaring(nx, ny, nz, voxOffset), Buffer.alloc(data < 0 ? Math.min(declared, 12_000_000) : data)]);
          await readVolume(gzip ? zlib.gzipSync(bytes, { level: 1 }) : bytes);
        }),
        RUNS,
      );
    });

    it('random bytes, after a gzip signature or not', async () => {
      const head = fc.constantFrom(Buffer.alloc(0), Buffer.from([0x1f, 0x8b, 8, 0]));
      await fc.assert(fc.asyncProperty(head, fc.uint8Array({ maxLength: 1024 }), (magic, rest) => readVolume(Buffer.concat([magic, rest]))), RUNS);
    });
  });

  describe('DICOM (through the importer: header pass, then pixels)', () => {
    it('mutated valid slices, with rows and columns of any value', async () => {
      const base = dicomSlice(8, 8);
      // the US values of (0028,0010) rows and (0028,0011) columns, explicit VR little-endian
      const at = (element: number) => base.indexOf(Buffer.from([0x28, 0x00, element, 0x00, 0x55, 0x53])) + 8;
      const input = fc.record({ bytes: mutated([base], 420), rows: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }), columns: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }) });
      await fc.assert(
        fc.asyncProperty(input, async ({ bytes, rows, columns }) => {
          const file = Buffer.from(bytes);
          if (rows !== null && at(0x10) + 2 <= file.length) file.writeUInt16LE(rows, at(0x10));
          if (columns !== null && at(0x11) + 2 <= file.length) file.writeUInt16LE(columns, at(0x11));
          await expectImporterHolds(new DicomImporter(), new Map([['a.dcm', file]]), SMALL);
        }),
        RUNS,
      );
    });

    it('whole slices of any size up to 200x200', async () => {
      const side = fc.integer({ min: 1, max: 200 });
      await fc.assert(fc.asyncProperty(side, side, (rows, columns) => expectImporterHolds(new DicomImporter(), new Map([['c.dcm', dicomSlice(rows, columns)]]), SMALL)), {
        ...RUNS,
        numRuns: 60,
      });
    });

    it('random bytes after the preamble and DICM marker', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 1024 }), (rest) =>
          expectImporterHolds(new DicomImporter(), new Map([['b.dcm', Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), rest])]]), SMALL),
        ),
        RUNS,
      );
    });
  });

  describe('CSV manifests and labels', () => {
    const cell = fc.oneof(
      fc.constantFrom('image', 'patient_id', 'label', 'mask', 'slice_index', 'a.png', 'missing.png', '../../etc/passwd', '/abs.png', 'covid', 'noncovid', '-1', '1.5', '"', '""', '__proto__', 'constructor', ''),
      fc.string({ maxLength: 12 }),
    );
    const csv = fc.oneof(
      fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }).map((rows) => rows.map((r) => r.join(',')).join('\n')),
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );

    it('parseCsv and parseLabelsCsv: rows or a named error', async () => {
      await fc.assert(
        fc.asyncProperty(csv, async (text) => {
          await expectValueOrNamedError(() => parseCsv(text), (rows) => expect(Array.isArray(rows)).toBe(true));
          await expectValueOrNamedError(() => parseLabelsCsv(text), (labels) => expect(labels).toBeInstanceOf(Map));
        }),
        { ...RUNS, numRuns: 300 },
      );
    });

    it('the manifest importer over any manifest beside one small image', async () => {
      const image = blackPng(8, 8);
      await fc.assert(
        fc.asyncProperty(csv, (text) =>
          expectImporterHolds(
            new ManifestImporter(),
            new Map([
              ['manifest.csv', Buffer.from(text)],
              ['a.png', image],
            ]),
            SMALL,
            'manifest.csv',
          ),
        ),
        { ...RUNS, numRuns: 100 },
      );
    });
  });

  describe('COCO RLE from clients', () => {
    it('any size and counts, against an expected size: the expected mask or a MaskFormatError', async () => {
      const expected = { width: 7, height: 5 };
      const valid = encodeCocoRle({ width: 7, height: 5, data: Uint8Array.from({ length: 35 }, (_, i) => (i % 3 === 0 ? 1 : 0)) });
      const size = fc.oneof(fc.constant([5, 7]), fc.tuple(fc.oneof(fc.integer(), fc.double(), fc.constant(46341)), fc.oneof(fc.integer(), fc.double(), fc.constant(46341))));
      const counts = fc.oneof(
        fc.constant(valid.counts),
        fc.string({ maxLength: 40 }),
        fc.string({ unit: fc.constantFrom(...'0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmno'), maxLength: 40 }),
        fc.array(fc.oneof(fc.integer({ min: -3, max: 40 }), fc.double(), fc.constant(2 ** 31), fc.string()), { maxLength: 20 }),
        fc.anything(),
      );
      const rle = fc.oneof(fc.record({ size, counts }), fc.anything());
      await fc.assert(
        fc.asyncProperty(rle, async (value) => {
          const outcome = await settle(() => decodeCocoRle(value, expected));
          if ('error' in outcome) expect(outcome.error).toBeInstanceOf(MaskFormatError);
          else expect(outcome.value.data.length).toBe(35);
        }),
        { ...RUNS, numRuns: 400 },
      );
    });
  });

  describe('a corpus of crafted hostile files, at the default limits', () => {
    const limits = DEFAULT_DECODE_LIMITS;
    const over = (setting: string) => new RegExp(`over ${setting}`);

    it('has the documented defaults: 8192² pixels per slice, 2 GiB per file', () => {
      expect(limits).toEqual({ maxSlicePixels: 8192 * 8192, maxVolumeBytes: 2 * 1024 ** 3 });
    });

    it('images: a 40000x40000 IHDR over a 2 GiB IDAT (as image and as mask), a colour PNG declaring 40000x40000, a JPEG declaring 65000x65000, a truncated JPEG', async () => {
      const bomb = pngBomb(40000, 40000, 2048);
      await expect(decodeTo8BitGrey(bomb, limits)).rejects.toThrow('40000x40000 pixels is over IMPORT_MAX_SLICE_PIXELS (67108864)');
      await expect(decodeMaskImage(bomb, 1, limits)).rejects.toThrow('40000x40000 pixels is over IMPORT_MAX_SLICE_PIXELS (67108864)');
      const colour = Buffer.from(bomb);
      colour[25] = 2; // IHDR colour type: RGB, which the grey fast path leaves to libvips
      colour.writeUInt32BE(zlib.crc32(colour.subarray(12, 29)) >>> 0, 29);
      await expect(decodeTo8BitGrey(colour, limits)).rejects.toThrow(over('IMPORT_MAX_SLICE_PIXELS'));
      await expect(decodeTo8BitGrey(jpegDeclaring(jpegs[0], 65000, 65000), limits)).rejects.toThrow('65000x65000 pixels is over IMPORT_MAX_SLICE_PIXELS (67108864)');
      const truncated = jpegs[1].subarray(0, jpegs[1].length >> 1);
      const outcome = await settle(() => decodeTo8BitGrey(truncated, limits));
      expect('error' in outcome && (outcome.error as Error).message).toMatch(/truncated|premature end|corrupt/i);
    });

    it('NIfTI: NaN and infinite vox_offset over 32767³, a 32767² slice, 8192x8192x32767 voxels', async () => {
      await expect(readNiftiVolume(niftiHeaderDeclaring(32767, 32767, 32767, NaN), limits)).rejects.toThrow('vox_offset NaN is not a byte offset');
      await expect(readNiftiVolume(niftiHeaderDeclaring(32767, 32767, 32767, Infinity), limits)).rejects.toThrow('vox_offset Infinity is not a byte offset');
      await expect(readNiftiVolume(niftiHeaderDeclaring(32767, 32767, 1), limits)).rejects.toThrow('32767x32767 pixels is over IMPORT_MAX_SLICE_PIXELS (67108864)');
      await expect(readNiftiVolume(niftiHeaderDeclaring(8192, 8192, 32767), limits)).rejects.toThrow(over('IMPORT_MAX_VOLUME_BYTES'));
    });

    it('gzip bombs as .nii.gz: 4 GiB of zeros, 4 GiB behind a valid 8x8x1 header, 4 GiB behind a header over the volume limit', async () => {
      await expect(readNiftiVolume(gzipBomb(4096), limits)).rejects.toThrow(/not a NIfTI-1 file/);
      const tail = await readNiftiVolume(gzipBomb(4096, niftiHeaderDeclaring(8, 8, 1)), limits);
      expect([tail.nx, tail.ny, tail.nz, tail.voxel(7, 7, 0)]).toEqual([8, 8, 1, 0]);
      await expect(readNiftiVolume(gzipBomb(4096, niftiHeaderDeclaring(8192, 8192, 17)), limits)).rejects.toThrow(over('IMPORT_MAX_VOLUME_BYTES'));
    });

    /** One DICOM file through the importer: its slices, or the reason its header pass or its load refused it. */
    const loadDicom = async (file: Buffer) => {
      const plan = await new DicomImporter().plan({ tree: new MemoryTree(new Map([['x.dcm', file]])), entry: null, masks: null, options: importOptionsSchema.parse({}), limits });
      if (plan.failures.length) throw new Error(plan.failures[0].reason);
      return plan.units[0].load();
    };

    it('DICOM: 65535x65535 declared over 32 bytes of pixels; a file cut inside its pixel data', async () => {
      await expect(loadDicom(dicomSlice(65535, 65535, 1, 16))).rejects.toThrow('65535x65535 pixels is over IMPORT_MAX_SLICE_PIXELS (67108864)');
      const whole = dicomSlice(64, 64);
      await expect(loadDicom(whole.subarray(0, whole.length - 100))).rejects.toThrow(/truncated|not a readable DICOM file/);
    });

    it('RLE: a 7-character string claiming 46340x46340 is refused against the slice size; a CSV with an unterminated quote is a named error', async () => {
      expect(() => decodeCocoRle({ size: [46340, 46340], counts: 'PPPPPP0' }, { width: 512, height: 512 })).toThrow(MaskFormatError);
      await expectValueOrNamedError(
        () => parseCsv(`image,label\n"${'x'.repeat(1 << 20)}`),
        () => {
          throw new Error('an unterminated quote parsed');
        },
      );
    });
  });
});
