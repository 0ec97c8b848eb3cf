import * as dicomParser from 'dicom-parser';
import type { ImportFailure } from '@lesionlab/contracts';
import { checkSliceSize, type DecodeLimits } from '../../pixels/decode-limits';
import { greyImage16, greyImage8 } from '@lesionlab/platform';
import { reasonOf, type ImportContext, type ImportedSlice, type Importer, type ImportPlan, type SourceUnit } from '../imported-slice';
import { mapLimit } from '../map-limit';

const UNCOMPRESSED = new Map([
  ['1.2.840.10008.1.2', true],
  ['1.2.840.10008.1.2.1', true],
  ['1.2.840.10008.1.2.2', false],
]);
const PIXEL_DATA = 'x7fe00010';

interface DicomHeader {
  file: string;
  patientId: string | null;
  studyUid: string | null;
  seriesUid: string | null;
  instanceNumber: number | null;
  /** Position along the slice normal, for ordering. */
  position: number | null;
}

function text(data: dicomParser.DataSet, tag: string): string | null {
  const value = data.string(tag)?.trim();
  return value ? value : null;
}

function numbers(data: dicomParser.DataSet, tag: string): number[] {
  return (text(data, tag) ?? '').split('\\').map(Number).filter((n) => Number.isFinite(n));
}

function parse(bytes: Buffer, untilPixels: boolean): dicomParser.DataSet {
  try {
    return dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), untilPixels ? { untilTag: PIXEL_DATA } : {});
  } catch (error) {
    throw new Error(`not a readable DICOM file: ${typeof error === 'string' ? error : reasonOf(error)}`);
  }
}

function readHeader(file: string, data: dicomParser.DataSet): DicomHeader {
  const orientation = numbers(data, 'x00200037');
  const position = numbers(data, 'x00200032');
  let along: number | null = position.length === 3 ? position[2] : null;
  if (orientation.length === 6 && position.length === 3) {
    const [a, b, c, d, e, f] = orientation;
    const normal = [b * f - c * e, c * d - a * f, a * e - b * d];
    along = normal[0] * position[0] + normal[1] * position[1] + normal[2] * position[2];
  }
  const instance = text(data, 'x00200013');
  return {
    file,
    patientId: text(data, 'x00100020'),
    studyUid: text(data, 'x0020000d'),
    seriesUid: text(data, 'x0020000e'),
    instanceNumber: instance !== null && Number.isInteger(Number(instance)) ? Number(instance) : null,
    position: along,
  };
}

/** Orders a series by position along its normal (else instance number, else file name); the rank is the slice index. */
function orderSeries(headers: DicomHeader[]): DicomHeader[] {
  return [...headers].sort(
    (a, b) =>
      (a.position !== null && b.position !== null ? a.position - b.position : 0) ||
      (a.instanceNumber !== null && b.instanceNumber !== null ? a.instanceNumber - b.instanceNumber : 0) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
  );
}

function decodeSlice(data: dicomParser.DataSet, limits: DecodeLimits): Pick<ImportedSlice, 'image' | 'rescaleSlope' | 'rescaleIntercept' | 'window'> {
  const syntax = text(data, 'x00020010') ?? '1.2.840.10008.1.2';
  const littleEndian = UNCOMPRESSED.get(syntax);
  if (littleEndian === undefined) throw new Error(`transfer syntax ${syntax} (compressed) is not supported; decompress the files first (e.g. gdcmconv --raw)`);
  const rows = data.uint16('x00280010');
  const columns = data.uint16('x00280011');
  const bitsAllocated = data.uint16('x00280100');
  const samples = data.uint16('x00280002') ?? 1;
  const signed = data.uint16('x00280103') === 1;
  const element = data.elements[PIXEL_DATA];
  if (!rows || !columns || !element) throw new Error('no image: rows, columns or pixel data missing');
  checkSliceSize(columns, rows, limits);
  if (samples !== 1) throw new Error(`${samples} samples per pixel: only grey images are supported`);
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new Error(`${bitsAllocated} bits allocated: 8 or 16 are supported`);
  const count = rows * columns;
  if (element.length < count * (bitsAllocated / 8) || element.dataOffset + count * (bitsAllocated / 8) > data.byteArray.length) {
    throw new Error(`pixel data is truncated (${element.length} bytes for ${columns}x${rows})`);
  }
  const view = new DataView(data.byteArray.buffer, data.byteArray.byteOffset + element.dataOffset, count * (bitsAllocated / 8));
  let image;
  if (bitsAllocated === 8) {
    image = greyImage8(columns, rows, Buffer.from(new Uint8Array(view.buffer, view.byteOffset, count)));
  } else {
    const values = signed ? new Int16Array(count) : new Uint16Array(count);
    for (let i = 0; i < count; i++) values[i] = signed ? view.getInt16(i * 2, littleEndian) : view.getUint16(i * 2, littleEndian);
    image = greyImage16(columns, rows, values);
  }
  const center = numbers(data, 'x00281050')[0];
  const width = numbers(data, 'x00281051')[0];
  return {
    image,
    rescaleSlope: numbers(data, 'x00281053')[0] ?? 1,
    rescaleIntercept: numbers(data, 'x00281052')[0] ?? 0,
    window: center !== undefined && width > 0 ? { center, width } : null,
  };
}

/**
 * A folder of DICOM files (uncompressed transfer syntaxes), grouped into series by SeriesInstanceUID;
 * the patient, study and series ids are kept, HU come from the rescale slope and intercept.
 */
export class DicomImporter implements Importer {
  readonly format = 'dicom' as const;

  async plan({ tree, options, limits }: ImportContext): Promise<ImportPlan> {
    const failures: ImportFailure[] = [];
    const headers = (
      await mapLimit(await tree.listFiles(), 8, async (file) => {
        try {
          return readHeader(file, parse(await tree.read(file), true));
        } catch (error) {
          failures.push({ file, reason: reasonOf(error) });
          return null;
        }
      })
    ).filter((h): h is DicomHeader => h !== null);
    const series = new Map<string, DicomHeader[]>();
    for (const header of headers) {
      const key = header.seriesUid ?? `${header.patientId ?? 'unknown'}/no-series-uid`;
      series.set(key, [...(series.get(key) ?? []), header]);
    }
    const units: SourceUnit[] = [];
    for (const [seriesKey, members] of series) {
      orderSeries(members).forEach((header, index) => {
        units.push({
          file: header.file,
          load: async () => {
            const data = parse(await tree.read(header.file), false);
            const spacing = numbers(data, 'x00280030');
            const thickness = numbers(data, 'x00180050')[0];
            const age = text(data, 'x00101010');
            const sex = text(data, 'x00100040');
            return [
              {
                ...decodeSlice(data, limits),
                patient: { externalId: header.patientId ?? options.patient ?? 'unknown', metadata: { ...(age && { age }), ...(sex && { sex }) } },
                scan: {
                  seriesKey,
                  studyUid: header.studyUid,
                  seriesUid: header.seriesUid,
                  sliceSpacingMm: thickness > 0 ? thickness : null,
                  pixelSpacingMm: spacing.length === 2 && spacing.every((v) => v > 0) ? [spacing[0], spacing[1]] : null,
                  metadata: { modality: text(data, 'x00080060'), description: text(data, 'x0008103e') },
                },
                sliceIndex: index,
                original: null,
                sourceName: header.file,
                mask: null,
              },
            ];
          },
        });
      });
    }
    return { units, failures };
  }
}
