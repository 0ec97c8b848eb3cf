import type { ImportFailure } from '@lesionlab/contracts';
import { parseCovidCsName } from '../../covid-cs-name';
import { baseName, indexByStem, isImageFile, stemOf } from '../file-names';
import { loadImageFile } from '../image-file-slice';
import type { ImportContext, Importer, ImportPlan, SourceUnit } from '../imported-slice';

/** COVID-CS: `<32-hex patient>_<slice>.jpg`, masks (same stem, `.png`, non-zero = lesion) in an optional folder. */
export class CovidCsImporter implements Importer {
  readonly format = 'covid-cs' as const;

  async plan({ tree, masks, options, limits }: ImportContext): Promise<ImportPlan> {
    const maskByStem = masks ? indexByStem((await masks.listFiles()).filter(isImageFile)) : new Map<string, string>();
    const units: SourceUnit[] = [];
    const failures: ImportFailure[] = [];
    for (const file of await tree.listFiles()) {
      const name = parseCovidCsName(baseName(file));
      if (!name) {
        failures.push({ file, reason: 'not a COVID-CS slice name (<32 hex digits>_<slice>.jpg)' });
        continue;
      }
      const maskFile = maskByStem.get(stemOf(file));
      units.push({
        file,
        load: async () => [
          {
            ...(await loadImageFile({ tree, file, mask: masks && maskFile ? { tree: masks, file: maskFile } : null, maskThreshold: options.maskThreshold, limits })),
            patient: { externalId: name.patientId },
            scan: { seriesKey: name.patientId },
            sliceIndex: name.sliceIndex,
          },
        ],
      });
    }
    return { units, failures };
  }
}
