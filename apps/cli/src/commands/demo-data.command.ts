import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { connect } from '../connection';
import { print } from '../output';
import { phantomSlice } from '../synthetic-phantom';
import { renderImportSummary, waitForImport } from './import.command';

const PATIENTS = [
  { id: 'synthetic-covid-masked-1', label: 'covid', lesions: 2 },
  { id: 'synthetic-covid-masked-2', label: 'covid', lesions: 3 },
  { id: 'synthetic-covid-1', label: 'covid', lesions: 0 },
  { id: 'synthetic-covid-2', label: 'covid', lesions: 0 },
  { id: 'synthetic-negative-1', label: 'negative', lesions: 0 },
  { id: 'synthetic-negative-2', label: 'negative', lesions: 0 },
  { id: 'synthetic-unknown-1', label: 'unknown', lesions: 0 },
] as const;
const SLICES_PER_PATIENT = 8;
const SIZE = 256;

/** Writes the synthetic collection: images/<patient>/<patient>_<i>.png, masks/<same stem>.png, labels.csv. */
export async function writeDemoData(folder: string): Promise<void> {
  await fs.mkdir(path.join(folder, 'masks'), { recursive: true });
  for (const [p, patient] of PATIENTS.entries()) {
    await fs.mkdir(path.join(folder, 'images', patient.id), { recursive: true });
    for (let i = 0; i < SLICES_PER_PATIENT; i++) {
      const slice = await phantomSlice(SIZE, p + 1, i, patient.lesions);
      const stem = `${patient.id}_${i}`;
      await fs.writeFile(path.join(folder, 'images', patient.id, `${stem}.png`), slice.image);
      if (slice.mask) await fs.writeFile(path.join(folder, 'masks', `${stem}.png`), slice.mask);
    }
  }
  await fs.writeFile(path.join(folder, 'labels.csv'), `patient_id,label\n${PATIENTS.map((p) => `${p.id},${p.label}`).join('\n')}\n`);
  await fs.writeFile(path.join(folder, 'README.txt'), 'SYNTHETIC phantom slices made by `lesionlab demo-data`: not patient data, not for training.\n');
}

export function registerDemoDataCommand(program: Command): void {
  program
    .command('demo-data')
    .description('write a small SYNTHETIC collection (phantom slices, lesion masks, labelled patients) and import it')
    .option('--dir <folder>', "where to write it (must be inside the server's IMPORT_ALLOWED_ROOTS)", path.join(process.env.LESIONLAB_HOME ?? '.lesionlab', 'imports', 'demo-synthetic'))
    .option('--json', 'print the import as JSON')
    .action(async (options: { dir: string; json?: boolean }) => {
      const folder = path.resolve(options.dir);
      await writeDemoData(folder);
      const { data: started } = await connect().POST('/api/imports', {
        body: {
          format: 'images',
          source: { kind: 'path', path: path.join(folder, 'images') },
          options: { collection: 'demo-synthetic', masks: path.join(folder, 'masks'), labels: path.join(folder, 'labels.csv'), maskThreshold: 128 },
        },
      });
      const run = await waitForImport(started!.id, Boolean(options.json));
      print(options.json, run, () => `synthetic collection written to ${folder}\n${renderImportSummary(run)}`);
      if (run.status === 'failed') process.exitCode = 1;
    });
}
