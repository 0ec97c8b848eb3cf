import path from 'node:path';
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { IMPORT_FORMATS, PATIENT_LABELS, type ImportRun, type StartImport } from '@lesionlab/contracts';
import { connect } from '../connection';
import { follow } from '../follow';
import { print } from '../output';

export interface ImportCommandOptions {
  format: StartImport['format'];
  labels?: string;
  masks?: string;
  label?: (typeof PATIENT_LABELS)[number];
  patient?: string;
  collection?: string;
  maskThreshold?: string;
  s3?: boolean;
  wait?: boolean;
  json?: boolean;
}

/** The request for a local path (made absolute: the server resolves it) or an S3 prefix. */
export function importRequest(location: string, options: ImportCommandOptions): StartImport {
  const local = (p: string) => (options.s3 ? p : path.resolve(p));
  return {
    format: options.format,
    source: options.s3 ? { kind: 's3', prefix: location } : { kind: 'path', path: local(location) },
    options: {
      maskThreshold: options.maskThreshold ? Number(options.maskThreshold) : 1,
      ...(options.labels && { labels: local(options.labels) }),
      ...(options.masks && { masks: local(options.masks) }),
      ...(options.label && { label: options.label }),
      ...(options.patient && { patient: options.patient }),
      ...(options.collection && { collection: options.collection }),
    },
  };
}

export function renderImportSummary(run: ImportRun): string {
  const table = new Table({ head: ['import', 'status', 'found', 'imported', 'duplicates', 'failed', 'masks', 'seconds'] });
  table.push([run.id, run.status, run.found, run.imported, run.duplicates, run.failed, run.masks, ((run.timings.totalMs ?? 0) / 1000).toFixed(1)]);
  const lines = [table.toString()];
  if (run.failures.length) {
    const failures = new Table({ head: ['file', 'reason'], colWidths: [40, 80], wordWrap: true });
    for (const failure of run.failures.slice(0, 20)) failures.push([failure.file, failure.reason]);
    lines.push(failures.toString());
    if (run.failures.length > 20) lines.push(`… and ${run.failures.length - 20} more (GET /api/imports/${run.id})`);
  }
  if (run.error) lines.push(`note: ${run.error}`);
  return lines.join('\n');
}

/** Polls an import until it ends, drawing a progress bar on stderr (unless quiet). */
export function waitForImport(id: string, quiet: boolean): Promise<ImportRun> {
  const api = connect();
  return follow({
    poll: async () => (await api.GET('/api/imports/{id}', { params: { path: { id } } })).data!,
    ended: (run) => run.status === 'succeeded' || run.status === 'failed',
    progress: (run) => ({ value: run.imported + run.duplicates + run.failed, total: run.found, fields: { imported: run.imported, duplicates: run.duplicates, failed: run.failed } }),
    format: 'importing [{bar}] {value}/{total} files | {imported} new, {duplicates} known, {failed} failed',
    quiet,
  });
}

export function registerImportCommand(program: Command): void {
  program
    .command('import <location>')
    .description('import CT slices from a folder or file the API server can read (or an S3 prefix with --s3)')
    .addOption(new Option('--format <format>', 'layout of the source').choices([...IMPORT_FORMATS]).makeOptionMandatory())
    .option('--labels <file>', 'patient_id,label CSV')
    .option('--masks <folder>', "masks with the images' stems (or label volumes for nifti)")
    .addOption(new Option('--label <label>', 'label of patients nothing else labels').choices([...PATIENT_LABELS]))
    .option('--patient <id>', 'one patient for every file (images, nifti)')
    .option('--collection <name>', 'collection of the patients (default: the folder name)')
    .option('--mask-threshold <n>', 'mask pixels at or above this value are lesion (128 for soft masks)')
    .option('--s3', 'the location is a prefix in the object store')
    .option('--wait', 'wait for the import to finish, with a progress bar')
    .option('--json', 'print the import as JSON')
    .action(async (location: string, options: ImportCommandOptions) => {
      const started = (await connect().POST('/api/imports', { body: importRequest(location, options) })).data!;
      const run = options.wait ? await waitForImport(started.id, Boolean(options.json)) : started;
      print(options.json, run, () => renderImportSummary(run));
      if (run.status === 'failed') process.exitCode = 1;
    });
}
