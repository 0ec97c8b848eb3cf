/**
 * Writers of tiny but valid CT files for tests: a NIfTI-1 volume (the 348-byte header written
 * field by field) and an explicit-VR little-endian DICOM slice.
 */

export interface NiftiVolume {
  nx: number;
  ny: number;
  nz: number;
  /** int16 voxels, x fastest. */
  voxels: Int16Array;
  /** Row-major 3x4 sform (voxel → RAS mm). */
  sform: number[][];
  slope?: number;
  intercept?: number;
}

export function writeNifti(volume: NiftiVolume): Buffer {
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0); // sizeof_hdr
  const dims = [3, volume.nx, volume.ny, volume.nz, 1, 1, 1, 1];
  dims.forEach((d, i) => header.writeInt16LE(d, 40 + i * 2));
  header.writeInt16LE(4, 70); // datatype: int16
  header.writeInt16LE(16, 72); // bitpix
  const pixdim = [1, 0.7, 0.7, 5, 0, 0, 0, 0];
  pixdim.forEach((p, i) => header.writeFloatLE(p, 76 + i * 4));
  header.writeFloatLE(352, 108); // vox_offset
  header.writeFloatLE(volume.slope ?? 1, 112);
  header.writeFloatLE(volume.intercept ?? 0, 116);
  header.writeUInt8(2, 123); // xyzt_units: mm
  header.writeInt16LE(0, 252); // qform_code
  header.writeInt16LE(1, 254); // sform_code: scanner
  volume.sform.forEach((row, r) => row.forEach((v, c) => header.writeFloatLE(v, 280 + r * 16 + c * 4)));
  header.write('n+1\0', 344, 'latin1');
  const data = Buffer.alloc(volume.voxels.length * 2);
  volume.voxels.forEach((v, i) => data.writeInt16LE(v, i * 2));
  return Buffer.concat([header, data]);
}

interface DicomElement {
  group: number;
  element: number;
  vr: string;
  value: Buffer;
}

const str = (text: string) => {
  const b = Buffer.from(text, 'latin1');
  return b.length % 2 ? Buffer.concat([b, Buffer.from(' ')]) : b;
};
const uid = (text: string) => {
  const b = Buffer.from(text, 'latin1');
  return b.length % 2 ? Buffer.concat([b, Buffer.from([0])]) : b;
};
const us = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

function encode(elements: DicomElement[]): Buffer {
  return Buffer.concat(
    elements.map(({ group, element, vr, value }) => {
      const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr);
      const head = Buffer.alloc(long ? 12 : 8);
      head.writeUInt16LE(group, 0);
      head.writeUInt16LE(element, 2);
      head.write(vr, 4, 'latin1');
      if (long) head.writeUInt32LE(value.length, 8);
      else head.writeUInt16LE(value.length, 6);
      return Buffer.concat([head, value]);
    }),
  );
}

export interface DicomSlice {
  patientId: string;
  studyUid: string;
  seriesUid: string;
  instance: number;
  z: number;
  rows: number;
  columns: number;
  /** Stored int16 values, row-major. */
  stored: Int16Array;
  slope: number;
  intercept: number;
}

/** A CT image: Part 10 preamble, file meta (explicit VR LE), then the data set. */
export function writeDicom(slice: DicomSlice): Buffer {
  const syntax = '1.2.840.10008.1.2.1';
  const metaBody = encode([
    { group: 0x0002, element: 0x0001, vr: 'OB', value: Buffer.from([0, 1]) },
    { group: 0x0002, element: 0x0002, vr: 'UI', value: uid('1.2.840.10008.5.1.4.1.1.2') },
    { group: 0x0002, element: 0x0003, vr: 'UI', value: uid(`${slice.seriesUid}.${slice.instance}`) },
    { group: 0x0002, element: 0x0010, vr: 'UI', value: uid(syntax) },
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length);
  const meta = Buffer.concat([encode([{ group: 0x0002, element: 0x0000, vr: 'UL', value: groupLength }]), metaBody]);
  const pixels = Buffer.alloc(slice.stored.length * 2);
  slice.stored.forEach((v, i) => pixels.writeInt16LE(v, i * 2));
  const body = encode([
    { group: 0x0008, element: 0x0060, vr: 'CS', value: str('CT') },
    { group: 0x0010, element: 0x0020, vr: 'LO', value: str(slice.patientId) },
    { group: 0x0018, element: 0x0050, vr: 'DS', value: str('5') },
    { group: 0x0020, element: 0x000d, vr: 'UI', value: uid(slice.studyUid) },
    { group: 0x0020, element: 0x000e, vr: 'UI', value: uid(slice.seriesUid) },
    { group: 0x0020, element: 0x0013, vr: 'IS', value: str(String(slice.instance)) },
    { group: 0x0020, element: 0x0032, vr: 'DS', value: str(`0\\0\\${slice.z}`) },
    { group: 0x0020, element: 0x0037, vr: 'DS', value: str('1\\0\\0\\0\\1\\0') },
    { group: 0x0028, element: 0x0002, vr: 'US', value: us(1) },
    { group: 0x0028, element: 0x0004, vr: 'CS', value: str('MONOCHROME2') },
    { group: 0x0028, element: 0x0010, vr: 'US', value: us(slice.rows) },
    { group: 0x0028, element: 0x0011, vr: 'US', value: us(slice.columns) },
    { group: 0x0028, element: 0x0030, vr: 'DS', value: str('0.7\\0.7') },
    { group: 0x0028, element: 0x0100, vr: 'US', value: us(16) },
    { group: 0x0028, element: 0x0101, vr: 'US', value: us(16) },
    { group: 0x0028, element: 0x0102, vr: 'US', value: us(15) },
    { group: 0x0028, element: 0x0103, vr: 'US', value: us(1) },
    { group: 0x0028, element: 0x1050, vr: 'DS', value: str('-600') },
    { group: 0x0028, element: 0x1051, vr: 'DS', value: str('1500') },
    { group: 0x0028, element: 0x1052, vr: 'DS', value: str(String(slice.intercept)) },
    { group: 0x0028, element: 0x1053, vr: 'DS', value: str(String(slice.slope)) },
    { group: 0x7fe0, element: 0x0010, vr: 'OW', value: pixels },
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, body]);
}
