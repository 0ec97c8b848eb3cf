import zlib from 'node:zlib';
import { checkSliceSize, checkVolumeBytes, type DecodeLimits } from './decode-limits';

/** NIfTI-1 data types this reader handles, with their byte size and DataView reader. */
const DATA_TYPES: Record<number, { bytes: number; read: (view: DataView, offset: number, littleEndian: boolean) => number; fits16: 'signed' | 'unsigned' | null }> = {
  2: { bytes: 1, read: (v, o) => v.getUint8(o), fits16: 'unsigned' },
  256: { bytes: 1, read: (v, o) => v.getInt8(o), fits16: 'signed' },
  4: { bytes: 2, read: (v, o, le) => v.getInt16(o, le), fits16: 'signed' },
  512: { bytes: 2, read: (v, o, le) => v.getUint16(o, le), fits16: 'unsigned' },
  8: { bytes: 4, read: (v, o, le) => v.getInt32(o, le), fits16: null },
  768: { bytes: 4, read: (v, o, le) => v.getUint32(o, le), fits16: null },
  16: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le), fits16: null },
  64: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le), fits16: null },
};

export interface NiftiVolume {
  nx: number;
  ny: number;
  nz: number;
  /** pixdim[1..3]: voxel size in mm along i, j, k. */
  spacing: [number, number, number];
  /** scl_slope / scl_inter (1 / 0 when the header leaves them unset). */
  slope: number;
  intercept: number;
  /** Whether stored values fit 16 bits as they are, and how. */
  fits16: 'signed' | 'unsigned' | null;
  /** Voxel (i, j, k) → RAS mm, rows of a 3x4 matrix (sform, else qform, else the voxel sizes). */
  affine: number[][];
  description: string;
  /** Reads voxel (i, j, k) as stored. */
  voxel(i: number, j: number, k: number): number;
}

function qformAffine(view: DataView, le: boolean, spacing: number[], qfac: number): number[][] {
  const [b, c, d] = [view.getFloat32(256, le), view.getFloat32(260, le), view.getFloat32(264, le)];
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const rotation = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const offset = [view.getFloat32(268, le), view.getFloat32(272, le), view.getFloat32(276, le)];
  return rotation.map((row, r) => [row[0] * spacing[0], row[1] * spacing[1], row[2] * spacing[2] * (qfac < 0 ? -1 : 1), offset[r]]);
}

const HEADER_BYTES = 352;

interface NiftiHeader {
  view: DataView;
  le: boolean;
  nx: number;
  ny: number;
  nz: number;
  type: (typeof DATA_TYPES)[number];
  /** Where the voxels start. */
  offset: number;
  /** The bytes the file must hold: header, extensions and every voxel. */
  needed: number;
}

/**
 * Reads a NIfTI-1 header and checks its arithmetic before anything is allocated from it: dimensions
 * within IMPORT_MAX_SLICE_PIXELS, a finite vox_offset, and the voxels (as read, and as the 16-bit
 * slices they become) within IMPORT_MAX_VOLUME_BYTES.
 */
function niftiHeader(bytes: Buffer, limits: DecodeLimits): NiftiHeader {
  if (bytes.length < HEADER_BYTES) throw new Error('not a NIfTI-1 file: shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getInt32(0, true) === 348;
  if (!le && view.getInt32(0, false) !== 348) throw new Error('not a NIfTI-1 file (sizeof_hdr is not 348; NIfTI-2 is not supported)');
  const magic = bytes.toString('latin1', 344, 347);
  if (magic !== 'n+1') throw new Error(`not a single-file NIfTI-1 (magic "${magic}"; .hdr/.img pairs are not supported)`);
  const dims = Array.from({ length: 8 }, (_, i) => view.getInt16(40 + i * 2, le));
  const datatype = view.getInt16(70, le);
  const type = DATA_TYPES[datatype];
  if (!type) throw new Error(`NIfTI data type ${datatype} is not supported (integers and floats are)`);
  const voxOffset = view.getFloat32(108, le);
  if (!Number.isFinite(voxOffset)) throw new Error(`vox_offset ${voxOffset} is not a byte offset`);
  const [ndim, nx, ny] = dims;
  const nz = ndim >= 3 ? Math.max(dims[3], 1) : 1;
  if (nx < 1 || ny < 1) throw new Error(`NIfTI dimensions ${nx}x${ny} are not an image`);
  checkSliceSize(nx, ny, limits);
  const offset = Math.max(HEADER_BYTES, Math.round(voxOffset));
  const voxels = nx * ny * nz;
  const needed = offset + voxels * type.bytes;
  checkVolumeBytes(Math.max(needed, voxels * 2), `${nx}x${ny}x${nz} voxels of ${type.bytes} bytes from byte ${offset}`, limits);
  return { view, le, nx, ny, nz, type, offset, needed };
}

/**
 * Inflates a .nii.gz only as far as its header says the voxels go, streaming on libuv's thread pool:
 * a gzip bomb behind a header stops at the header's size (itself within the limits), and one
 * without a header stops at its first chunk.
 */
async function inflateNifti(file: Buffer, limits: DecodeLimits): Promise<Buffer> {
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
  gunzip.end(file);
  const head: Buffer[] = [];
  let out: Buffer | null = null;
  let length = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (out) {
        length += chunk.copy(out, length);
      } else {
        head.push(chunk);
        length += chunk.length;
        if (length < HEADER_BYTES) continue;
        const joined = Buffer.concat(head);
        out = Buffer.allocUnsafe(niftiHeader(joined, limits).needed);
        length = joined.copy(out, 0);
      }
      if (length === out.length) break;
    }
  } catch (error) {
    if (!/^Z_/.test((error as NodeJS.ErrnoException).code ?? '')) throw error;
    throw new Error(`the gzip data does not inflate (${(error as Error).message})`);
  } finally {
    gunzip.destroy();
  }
  return out ? out.subarray(0, length) : Buffer.concat(head);
}

/** Parses a NIfTI-1 single file (.nii, or gzipped .nii.gz): the 348-byte header, then the voxels from vox_offset. */
export async function readNiftiVolume(file: Buffer, limits: DecodeLimits): Promise<NiftiVolume> {
  const bytes = file[0] === 0x1f && file[1] === 0x8b ? await inflateNifti(file, limits) : file;
  const { view, le, nx, ny, nz, type, offset, needed } = niftiHeader(bytes, limits);
  if (bytes.length < needed) throw new Error(`the file is truncated: ${bytes.length} bytes, ${needed} expected`);
  const pixdim = Array.from({ length: 4 }, (_, i) => view.getFloat32(76 + i * 4, le));
  const spacing: [number, number, number] = [pixdim[1], pixdim[2], pixdim[3]];
  const rawSlope = view.getFloat32(112, le);
  const rawIntercept = view.getFloat32(116, le);
  const hasScale = Number.isFinite(rawSlope) && rawSlope !== 0;
  const sformCode = view.getInt16(254, le);
  const qformCode = view.getInt16(252, le);
  const affine =
    sformCode > 0
      ? [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => view.getFloat32(280 + r * 16 + c * 4, le)))
      : qformCode > 0
        ? qformAffine(view, le, spacing, pixdim[0])
        : [[spacing[0] || 1, 0, 0, 0], [0, spacing[1] || 1, 0, 0], [0, 0, spacing[2] || 1, 0]];
  const stride = [type.bytes, nx * type.bytes, nx * ny * type.bytes];
  return {
    nx,
    ny,
    nz,
    spacing,
    slope: hasScale ? rawSlope : 1,
    intercept: hasScale && Number.isFinite(rawIntercept) ? rawIntercept : 0,
    fits16: type.fits16,
    affine,
    description: bytes.toString('latin1', 148, 228).replace(/\0.*$/s, '').trim(),
    voxel: (i, j, k) => type.read(view, offset + i * stride[0] + j * stride[1] + k * stride[2], le),
  };
}
