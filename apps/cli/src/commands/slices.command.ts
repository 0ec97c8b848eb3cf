import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { PATIENT_LABELS, SLICE_SORTS, SUPERVISION_KINDS } from '@lesionlab/contracts';
import type { operations } from '@lesionlab/api-client';
import { connect } from '../connection';
import { positiveInteger } from '../arguments';

type SliceQuery = NonNullable<operations['listSlices']['parameters']['query']>;

interface SlicesOptions {
  supervision?: SliceQuery['supervision'];
  cohort?: SliceQuery['cohort'];
  patient?: string;
  import?: string;
  hasMask?: boolean;
  sort?: SliceQuery['sort'];
  limit: number;
  cursor?: string;
  json?: boolean;
}

export function slicesQuery({ json: _json, hasMask, ...query }: SlicesOptions): SliceQuery {
  return { ...query, ...(hasMask && { hasMask: 'true' }) };
}

export function registerSlicesCommand(program: Command): void {
  program
    .command('slices')
    .description('list catalog slices, one page at a time')
    .addOption(new Option('--supervision <kind>').choices([...SUPERVISION_KINDS]))
    .addOption(new Option('--cohort <label>').choices([...PATIENT_LABELS]))
    .option('--patient <id>', 'patient uuid')
    .option('--import <id>', 'import uuid')
    .option('--has-mask', 'only slices with a mask revision')
    .addOption(new Option('--sort <sort>').choices([...SLICE_SORTS]))
    .option('--limit <n>', 'page size', positiveInteger, 20)
    .option('--cursor <cursor>', 'the nextCursor of the previous page')
    .option('--json', 'print the page as JSON')
    .action(async (options: SlicesOptions) => {
      const body = (await connect().GET('/api/slices', { params: { query: slicesQuery(options) } })).data!;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        return;
      }
      const table = new Table({ head: ['slice', 'patient', 'index', 'size', 'cohort', 'supervision'] });
      for (const s of body.items) table.push([s.id, s.patientExternalId, s.sliceIndex, `${s.width}x${s.height}`, s.cohort, s.supervision]);
      process.stdout.write(`${table.toString()}\n${body.nextCursor ? `next page: --cursor ${body.nextCursor}` : 'last page'}\n`);
    });
}
