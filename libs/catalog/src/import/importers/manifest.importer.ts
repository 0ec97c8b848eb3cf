import type { ImportFailure, PatientLabel } from '@lesionlab/contracts';
import { dirOf, seriesAndIndexFromName } from '../file-names';
import { loadImageFile } from '../image-file-slice';
import type { ImportContext, Importer, ImportPlan, SourceUnit } from '../imported-slice';
import { normalizeLabel, parseCsv } from '../labels-csv';

const COLUMNS = {
  image: ['image', 'image_path', 'file', 'path', 'filename'],
  patient: ['patient_id', 'patient', 'patientid', 'subject'],
  label: ['label', 'class', 'cohort', 'diagnosis'],
  mask: ['mask', 'mask_path', 'segmentation'],
  sliceIndex: ['slice_index', 'slice', 'index', 'instance_number'],
} as const;

function pick(header: string[], names: readonly string[]): string | null {
  return names.find((name) => header.includes(name)) ?? null;
}

/**
 * A CSV manifest (the source path names it, or `manifest.csv` in the source folder): image, patient
 * id, label, mask, slice index in columns with any of the usual names; other columns become the
 * patient's metadata. Paths are relative to the manifest's folder. A row without a patient id (and no
 * `patient` option) is an unknown patient of its own.
 */
export class ManifestImporter implements Importer {
  readonly format = 'manifest' as const;

  async plan({ tree, entry, options, limits }: ImportContext): Promise<ImportPlan> {
    const manifest = entry ?? 'manifest.csv';
    const rows = parseCsv(await tree.read(manifest));
    const header = rows.length ? Object.keys(rows[0]) : [];
    const column = {
      image: pick(header, COLUMNS.image),
      patient: pick(header, COLUMNS.patient),
      label: pick(header, COLUMNS.label),
      mask: pick(header, COLUMNS.mask),
      sliceIndex: pick(header, COLUMNS.sliceIndex),
    };
    if (!column.image) throw new Error(`${manifest} has no image column (one of: ${COLUMNS.image.join(', ')}); its columns are ${header.join(', ')}`);
    const known = new Set(Object.values(column).filter(Boolean));
    const extras = header.filter((name) => !known.has(name));
    const base = dirOf(manifest);
    const resolve = (relative: string) => (base ? `${base}/${relative}` : relative);
    const units: SourceUnit[] = [];
    const failures: ImportFailure[] = [];
    rows.forEach((row, i) => {
      const image = row[column.image!];
      const where = `${manifest} row ${i + 2}`;
      if (!image) return failures.push({ file: where, reason: 'the image column is empty' });
      let label: PatientLabel | undefined;
      if (column.label) {
        const normalized = normalizeLabel(row[column.label]);
        if (!normalized) return failures.push({ file: resolve(image), reason: `${where}: unknown label "${row[column.label]}"` });
        label = normalized;
      }
      const fromName = seriesAndIndexFromName(image);
      const index = column.sliceIndex ? Number(row[column.sliceIndex]) : fromName.index;
      if (!Number.isInteger(index) || index < 0) return failures.push({ file: resolve(image), reason: `${where}: slice index "${row[column.sliceIndex!]}" is not a whole number` });
      const named = (column.patient && row[column.patient]) || options.patient;
      // Without a patient id a slice is a patient of its own, flagged unknown, so releases never
      // treat a whole collection as one patient (and say how many such slices they hold).
      const patient = named || `unknown:${resolve(image)}`;
      const metadata = {
        ...Object.fromEntries(extras.filter((name) => row[name] !== '').map((name) => [name, row[name]])),
        ...(named ? {} : { patientUnknown: true }),
      };
      const maskPath = column.mask && row[column.mask] ? resolve(row[column.mask]) : null;
      units.push({
        file: resolve(image),
        load: async () => [
          {
            ...(await loadImageFile({ tree, file: resolve(image), mask: maskPath ? { tree, file: maskPath } : null, maskThreshold: options.maskThreshold, limits })),
            patient: { externalId: patient, label, metadata },
            // With a slice-index column a known patient's rows form one series; otherwise the file name says.
            scan: { seriesKey: column.sliceIndex && named ? patient : fromName.series },
            sliceIndex: index,
          },
        ],
      });
      return undefined;
    });
    return { units, failures };
  }
}
