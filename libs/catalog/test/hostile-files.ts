/**
 * Crafted hostile files for tests, built in memory (never committed): decompression bombs, headers
 * that declare more than the data holds, impossible header values. Each is small on disk.
 */
import zlib from 'node:zlib';
import { PNG_SIGNATURE, pngChunk, settingsSchema } from '@lesionlab/platform';
import { decodeLimitsOf, type DecodeLimits } from '../src/pixels/decode-limits';
import { writeDicom, writeNifti } from './ct-files';

/** The limits of a configuration that leaves IMPORT_MAX_SLICE_PIXELS and IMPORT_MAX_VOLUME_BYTES unset. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = decodeLimitsOf({
  IMPORT_MAX_SLICE_PIXELS: settingsSchema.shape.IMPORT_MAX_SLICE_PIXELS.parse(undefined),
  IMPORT_MAX_VOLUME_BYTES: settingsSchema.shape.IMPORT_MAX_VOLUME_BYTES.parse(undefined),
});

const MIB = 1024 * 1024;
/** One MiB of zeros as a non-final raw deflate block sequence: repeated, it inflates to any multiple of a MiB. */
const ZERO_MIB = zlib.deflateRawSync(Buffer.alloc(MIB), { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
/** An empty final block with fixed Huffman codes: ends a raw deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** A raw deflate stream of `prefix` then `mib` MiB of zeros, about 1 KB per MiB. */
function deflateBomb(prefix: Buffer, mib: number): Buffer {
  const head = zlib.deflateRawSync(prefix, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Buffer.concat([head, ...Array.from({ length: mib }, () => ZERO_MIB), FINAL_BLOCK]);
}

/**
 * A gzip member inflating to `prefix` then `mib` MiB of zeros. Its trailer's CRC is not computed (a
 * decoder meets the size problem long before it): it is a bomb, not a file to accept.
 */
export function gzipBomb(mib: number, prefix: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(((prefix.length + mib * MIB) % 2 ** 32) >>> 0, 4);
  return Buffer.concat([header, deflateBomb(prefix, mib), trailer]);
}

/** An 8-bit grey PNG whose IHDR declares width x height and whose IDAT holds `idat` (zlib data). */
export function greyPngDeclaring(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A valid all-black 8-bit grey PNG: tiny on disk whatever its size (its rows deflate to almost nothing). */
export function blackPng(width: number, height: number): Buffer {
  return greyPngDeclaring(width, height, zlib.deflateSync(Buffer.alloc((width + 1) * height), { level: 9 }));
}

/** An IHDR of width x height over a zlib stream of `mib` MiB of zeros: a decompression bomb behind a huge header. */
export function pngBomb(width: number, height: number, mib: number): Buffer {
  return greyPngDeclaring(width, height, Buffer.concat([Buffer.from([0x78, 0xda]), deflateBomb(Buffer.alloc(0), mib), Buffer.alloc(4)]));
}

const AXIAL = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
];

/** A NIfTI-1 header (int16, 352 bytes, no voxels) declaring nx x ny x nz, with vox_offset as given. */
export function niftiHeaderDeclaring(nx: number, ny: number, nz: number, voxOffset = 352): Buffer {
  const header = writeNifti({ nx: 1, ny: 1, nz: 1, voxels: new Int16Array(0), sform: AXIAL });
  [nx, ny, nz].forEach((d, i) => header.writeInt16LE(d, 42 + i * 2));
  header.writeFloatLE(voxOffset, 108);
  return header;
}

/** A small valid int16 NIfTI volume (voxels -1000 and a few brighter ones). */
export function smallNifti(nx: number, ny: number, nz: number): Buffer {
  const voxels = Int16Array.from({ length: nx * ny * nz }, (_, i) => (i % 7 === 0 ? 40 : -1000));
  return writeNifti({ nx, ny, nz, voxels, sform: AXIAL });
}

/** A DICOM CT slice declaring rows x columns but holding `stored` values only (all of them when not given). */
export function dicomSlice(rows: number, columns: number, instance = 1, stored = rows * columns): Buffer {
  return writeDicom({
    patientId: 'HOSTILE-1',
    studyUid: '1.2.826.9',
    seriesUid: '1.2.826.9.1',
    instance,
    z: instance,
    rows,
    columns,
    stored: new Int16Array(stored).fill(24),
    slope: 1,
    intercept: -1024,
  });
}

/** Start-of-frame markers whose segment holds the frame's height and width (baseline, extended, progressive, lossless). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3]);

/** A copy of a JPEG whose frame header declares width x height instead of its real size. */
export function jpegDeclaring(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let offset = 2; offset + 9 <= out.length; offset += 2 + out.readUInt16BE(offset + 2)) {
    if (out[offset] !== 0xff) break;
    if (SOF.has(out[offset + 1])) {
      out.writeUInt16BE(height, offset + 5);
      out.writeUInt16BE(width, offset + 7);
      return out;
    }
  }
  throw new Error('no frame header in this JPEG');
}
