import path from 'node:path';
import { Injectable } from '@nestjs/common';
import {
  importFailureSchema,
  importOptionsSchema,
  importSourceSchema,
  type ImportCounts,
  type ImportFailure,
  type ImportFormat,
  type ImportOptions,
  type ImportSource,
  type PatientLabel,
} from '@lesionlab/contracts';
import { ImportsRepository } from '../imports.repository';
import { CovidCsImporter } from './importers/covid-cs.importer';
import { DicomImporter } from './importers/dicom.importer';
import { ImagesImporter } from './importers/images.importer';
import { ManifestImporter } from './importers/manifest.importer';
import { NiftiImporter } from './importers/nifti.importer';
import { reasonOf, type EncodedImportedSlice, type Importer, type SourceUnit } from './imported-slice';
import { parseLabelsCsv } from './labels-csv';
import { mapLimit } from './map-limit';
import { pixelWorkers } from './pixel-workers';
import { SliceBatchWriter, type LabelledSlice } from './slice-batch.writer';
import { SourceOpener } from './source-opener';
import { withoutCompanions } from './source-tree';

const IMPORTERS: Record<ImportFormat, Importer> = {
  'covid-cs': new CovidCsImporter(),
  manifest: new ManifestImporter(),
  nifti: new NiftiImporter(),
  dicom: new DicomImporter(),
  images: new ImagesImporter(),
};

/** Slices written per transaction. */
export const IMPORT_BATCH_SIZE = 200;
/** Files decoded at once. */
const DECODE_CONCURRENCY = 8;

export type ImportProgress = ImportCounts & { total: number; processed: number };

/**
 * What is stored in an import's `options` column: where it reads and how, and the uploaded files the
 * API refused to store (each a failure of the import from its start).
 */
export function importSpec(row: { options: Record<string, unknown> }): { source: ImportSource; options: ImportOptions; refused: ImportFailure[] } {
  const { source, refused, ...options } = row.options;
  return { source: importSourceSchema.parse(source), options: importOptionsSchema.parse(options), refused: importFailureSchema.array().parse(refused ?? []) };
}

/** Runs one import: opens its source, plans the files, decodes them in batches and writes them, recording progress. */
@Injectable()
export class ImportRunner {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly sources: SourceOpener,
    private readonly writer: SliceBatchWriter,
  ) {}

  async run(importId: string, onProgress: (progress: ImportProgress) => Promise<void> = async () => undefined, signal?: AbortSignal): Promise<ImportCounts> {
    const row = await this.imports.get(importId);
    if (!row) throw new Error(`import ${importId} does not exist`);
    const started = Date.now();
    await this.imports.start(importId);
    const counts: ImportCounts = { found: 0, imported: 0, duplicates: 0, failed: 0, masks: 0 };
    const failures: ImportFailure[] = [];
    const timings = { planMs: 0, decodeMs: 0, writeMs: 0, totalMs: 0, slicesPerSecond: 0 };
    let masksUnrecorded = 0;
    let writing: Promise<void> = Promise.resolve();
    try {
      const { source, options, refused } = importSpec(row);
      const opened = await this.sources.open(source);
      const masks = options.masks ? (await this.sources.open(await this.sources.companion(source, options.masks))).tree : null;
      const labels = options.labels ? await this.readLabels(source, options.labels) : new Map<string, PatientLabel>();
      const collection = options.collection ?? defaultCollection(row.format, opened.tree.description);
      const companions = [options.masks, options.labels].filter((location): location is string => !!location && !path.isAbsolute(location));
      const tree = opened.entry === null ? withoutCompanions(opened.tree, companions) : opened.tree;
      const plan = await IMPORTERS[row.format].plan({ tree, entry: opened.entry, masks, options, limits: this.sources.limits });
      timings.planMs = Date.now() - started;
      failures.push(...refused, ...plan.failures);
      counts.failed = refused.length + plan.failures.length;
      counts.found = plan.units.length;

      const label = (slice: EncodedImportedSlice): LabelledSlice => {
        const fromCsv = labels.get(slice.patient.externalId.toLowerCase());
        const patientLabel = fromCsv ?? slice.patient.label ?? options.label ?? 'unknown';
        const labelSource = fromCsv ? 'labels-csv' : slice.patient.label ? row.format : options.label ? 'import-option' : null;
        return { ...slice, patientLabel, labelSource };
      };
      let processed = 0;
      // Writes run one after another while the next batches decode: the writer's main-thread work
      // (storage, rows, masks) and the pixel workers then keep the cores busy. At most one decoded
      // batch waits for its write.
      let previous: Promise<void> = Promise.resolve();
      for (let offset = 0; offset < plan.units.length; offset += IMPORT_BATCH_SIZE) {
        if (signal?.aborted) throw new Error('the worker is shutting down; the import will resume from the start (what was written stays)');
        const decodeStarted = Date.now();
        const decoded = await this.decode(plan.units.slice(offset, offset + IMPORT_BATCH_SIZE), failures);
        timings.decodeMs += Date.now() - decodeStarted;
        await previous;
        // Volumes hold several slices per file: "found" counts slices once they are known.
        counts.found += decoded.slices.length - decoded.loadedUnits;
        counts.failed += decoded.failedUnits;
        processed += decoded.loadedUnits + decoded.failedUnits;
        const processedHere = processed;
        const batch = decoded.slices.map(label);
        previous = writing;
        writing = writing.then(async () => {
          const writeStarted = Date.now();
          for (let i = 0; i < batch.length; i += IMPORT_BATCH_SIZE) {
            const result = await this.writer.write(batch.slice(i, i + IMPORT_BATCH_SIZE), collection, importId);
            counts.imported += result.imported;
            counts.duplicates += result.duplicates;
            counts.masks += result.masks;
            masksUnrecorded += result.masksUnrecorded;
          }
          timings.writeMs += Date.now() - writeStarted;
          await this.imports.saveProgress(importId, counts, failures);
          await onProgress({ ...counts, total: plan.units.length, processed: processedHere });
        });
        // a failed write is rethrown where it is awaited, not reported as unhandled while decoding goes on
        writing.catch(() => undefined);
      }
      await writing;
      timings.totalMs = Date.now() - started;
      timings.slicesPerSecond = Math.round(((counts.imported + counts.duplicates) / Math.max(timings.totalMs, 1)) * 1000 * 10) / 10;
      await this.imports.saveProgress(importId, counts, failures);
      const warning = masksUnrecorded ? `${masksUnrecorded} masks were found but not recorded: this process has no ImportedMaskRecorder (labels module)` : null;
      await this.imports.finish(importId, 'succeeded', timings, warning);
      return counts;
    } catch (error) {
      await writing.catch(() => undefined);
      timings.totalMs = Date.now() - started;
      await this.imports.saveProgress(importId, counts, failures);
      await this.imports.finish(importId, 'failed', timings, reasonOf(error));
      throw error;
    }
  }

  private async readLabels(source: ImportSource, location: string): Promise<Map<string, PatientLabel>> {
    const opened = await this.sources.open(await this.sources.companion(source, location));
    if (!opened.entry) throw new Error(`labels: "${location}" is a folder, not a CSV file`);
    return parseLabelsCsv(await opened.tree.read(opened.entry));
  }

  /** Loads units (DECODE_CONCURRENCY at a time) and encodes the slices their importer left unencoded on the pixel workers; a unit that fails is listed. */
  private async decode(units: SourceUnit[], failures: ImportFailure[]): Promise<{ slices: EncodedImportedSlice[]; loadedUnits: number; failedUnits: number }> {
    const results = await mapLimit(units, DECODE_CONCURRENCY, async (unit) => {
      try {
        const slices = await unit.load();
        // a volume's slices go to the workers a few at a time, not all copied at once
        return await mapLimit(slices, DECODE_CONCURRENCY, async (slice) => {
          const { image, rescaleSlope, rescaleIntercept, window } = slice;
          return { ...slice, encoded: slice.encoded ?? (await pixelWorkers().run('encodeSlice', { image, rescaleSlope, rescaleIntercept, window })) };
        });
      } catch (error) {
        failures.push({ file: unit.file, reason: reasonOf(error) });
        return null;
      }
    });
    const loaded = results.filter((r): r is EncodedImportedSlice[] => r !== null);
    return { slices: loaded.flat(), loadedUnits: loaded.length, failedUnits: units.length - loaded.length };
  }
}

/** COVID-CS rows always go to the `covid-cs` collection; other sources are named after their folder. */
export function defaultCollection(format: ImportFormat, description: string): string {
  if (format === 'covid-cs') return 'covid-cs';
  const name = description.replace(/\/+$/, '').split(/[/:]/).pop() ?? format;
  return name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || format;
}
