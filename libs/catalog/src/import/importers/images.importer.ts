import type { ImportFailure } from '@lesionlab/contracts';
import { indexByStem, isImageFile, seriesAndIndexFromName, stemOf } from '../file-names';
import { loadImageFile } from '../image-file-slice';
import type { ImportContext, Importer, ImportPlan, SourceUnit } from '../imported-slice';

/**
 * Loose PNG/JPEG files. Each file's series and slice come from its name (`vol_003_41.jpg` → series
 * `vol_003`, slice 41); the patient is the `patient` option, else the first sub-folder, else the series.
 */
export class ImagesImporter implements Importer {
  readonly format = 'images' as const;

  async plan({ tree, masks, options, limits }: ImportContext): Promise<ImportPlan> {
    const maskByStem = masks ? indexByStem((await masks.listFiles()).filter(isImageFile)) : new Map<string, string>();
    const units: SourceUnit[] = [];
    const failures: ImportFailure[] = [];
    for (const file of await tree.listFiles()) {
      if (!isImageFile(file)) {
        failures.push({ file, reason: 'not a PNG or JPEG file' });
        continue;
      }
      const { series, index } = seriesAndIndexFromName(file);
      const folder = file.includes('/') ? file.slice(0, file.indexOf('/')) : null;
      const maskFile = maskByStem.get(stemOf(file));
      units.push({
        file,
        load: async () => [
          {
            ...(await loadImageFile({ tree, file, mask: masks && maskFile ? { tree: masks, file: maskFile } : null, maskThreshold: options.maskThreshold, limits })),
            patient: { externalId: options.patient ?? folder ?? series },
            scan: { seriesKey: series },
            sliceIndex: index,
          },
        ],
      });
    }
    return { units, failures };
  }
}
