import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Table from 'cli-table3';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createReleaseSchema, EXPORT_FORMATS, LABEL_POLICIES, PATIENT_LABELS, SPLIT_NAMES, STRATIFY_KEYS, SUPERVISION_KINDS } from '@lesionlab/contracts';
import type { ApiClient, Schemas } from '@lesionlab/api-client';
import { connect } from '../connection';
import { CommandFailure } from '../exit-codes';
import { follow } from '../follow';
import { print } from '../output';

async function getRelease(api: ApiClient, id: string) {
  return (await api.GET('/api/releases/{id}', { params: { path: { id } } })).data!;
}
/** A release as the client answers it. */
type Release = Awaited<ReturnType<typeof getRelease>>;
type ReleaseExport = Schemas['ReleaseExport'];
type CreateRelease = Schemas['CreateRelease'];
type Selection = NonNullable<CreateRelease['selection']>;
type SplitName = (typeof SPLIT_NAMES)[number];

/** The catalog filters a release or a prediction takes (every one narrows). */
export interface SelectionOptions {
  collection?: string[];
  cohort?: Selection['cohorts'];
  supervision?: Selection['supervision'];
  import?: string[];
  patient?: string[];
}

export function addSelectionOptions(command: Command): Command {
  return command
    .option('--collection <names...>', 'only these collections')
    .addOption(new Option('--cohort <labels...>', 'only patients with these labels').choices([...PATIENT_LABELS]))
    .addOption(new Option('--supervision <kinds...>', 'only slices with these supervisions').choices([...SUPERVISION_KINDS]))
    .option('--import <ids...>', 'only slices of these imports')
    .option('--patient <ids...>', 'only these patients (uuids)');
}

export function selectionFrom(options: SelectionOptions): Selection {
  return {
    ...(options.collection && { collections: options.collection }),
    ...(options.cohort && { cohorts: options.cohort }),
    ...(options.supervision && { supervision: options.supervision }),
    ...(options.import && { importIds: options.import }),
    ...(options.patient && { patientIds: options.patient }),
  };
}

/** `70/10/20` (train/val/test, any scale) as the create-release ratios. */
export function parseRatios(value: string): NonNullable<CreateRelease['ratios']> {
  const parts = value.split(/[/:,]/).map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0) || parts.every((n) => n === 0)) {
    throw new InvalidArgumentError(`expected train/val/test ratios such as 70/10/20, got "${value}"`);
  }
  const [train, val, test] = parts;
  return { train, val, test };
}

/** `test=<patient uuid>`: a patient forced into a split, collected per split. */
function parsePin(value: string, previous: Partial<Record<SplitName, string[]>> = {}): Partial<Record<SplitName, string[]>> {
  const [split, patient] = value.split('=');
  if (!(SPLIT_NAMES as readonly string[]).includes(split) || !patient) throw new InvalidArgumentError(`expected <train|val|test>=<patient uuid>, got "${value}"`);
  return { ...previous, [split]: [...(previous[split as SplitName] ?? []), patient] };
}

interface CreateOptions extends SelectionOptions {
  name: string;
  description?: string;
  ratios?: CreateRelease['ratios'];
  seed?: string;
  stratifyBy?: CreateRelease['stratifyBy'];
  labelPolicy?: CreateRelease['labelPolicy'];
  pin?: CreateRelease['pinned'];
  keepNearDuplicatesTogether?: boolean;
  wait?: boolean;
  json?: boolean;
}

/** The create-release body, its defaults filled and checked by the contract (a ZodError is a usage error). */
export function createReleaseRequest(options: CreateOptions): CreateRelease {
  return createReleaseSchema.parse({
    name: options.name,
    selection: selectionFrom(options),
    ...(options.description !== undefined && { description: options.description }),
    ...(options.ratios && { ratios: options.ratios }),
    ...(options.seed && { seed: options.seed }),
    ...(options.stratifyBy && { stratifyBy: options.stratifyBy }),
    ...(options.labelPolicy && { labelPolicy: options.labelPolicy }),
    ...(options.pin && { pinned: options.pin }),
    ...(options.keepNearDuplicatesTogether && { keepNearDuplicatesTogether: true }),
  });
}

export function renderReleases(releases: Release[]): string {
  const table = new Table({ head: ['release', 'title', 'status', 'slices', 'patients', 'train/val/test patients', 'created'] });
  for (const r of releases) {
    const s = r.summary;
    table.push([r.id, r.title, r.status, s?.slices ?? '', s?.patients ?? '', s ? SPLIT_NAMES.map((n) => s.splits[n]?.patients ?? 0).join('/') : '', r.createdAt]);
  }
  return table.toString();
}

const counts = (record: Record<string, number> | undefined) =>
  Object.entries(record ?? {})
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');

/** The release and the composition of its splits: patients, slices by supervision, patients by label, lesion burden. */
export function renderRelease(release: Release): string {
  const lines = [renderReleases([release])];
  if (release.error) lines.push(`error: ${release.error}`);
  const summary = release.summary;
  if (!summary) return lines.join('\n');
  const splits = new Table({ head: ['split', 'patients', 'slices', 'slices by supervision', 'patients by label', 'lesion burden'] });
  for (const name of SPLIT_NAMES) {
    const split = summary.splits[name];
    if (split) splits.push([name, split.patients, split.slices, counts(split.slicesBySupervision), counts(split.patientsByLabel), counts(split.lesionBurden)]);
  }
  lines.push(splits.toString());
  lines.push(`near duplicates: ${summary.nearDuplicates.pairs} pairs, ${summary.nearDuplicates.crossSplitPairs} across splits; slices of unknown patients: ${summary.unknownPatientSlices}`);
  if (release.digest) lines.push(`digest: ${release.digest}`);
  return lines.join('\n');
}

export function renderDiff(diff: Schemas['ReleaseDiff']): string {
  const table = new Table({ head: ['', 'added', 'removed', 'kept / changed'] });
  table.push(['slices', diff.slices.added, diff.slices.removed, diff.slices.kept]);
  table.push(['patients', diff.patients.added, diff.patients.removed, '']);
  table.push(['patients moved between splits', '', '', diff.movedPatients.length]);
  table.push(['masks changed', '', '', diff.changedMasks.length]);
  table.push(['labels changed', '', '', diff.changedLabels.length]);
  const lines = [`from ${diff.from} to ${diff.to}`, table.toString()];
  for (const moved of diff.movedPatients.slice(0, 20)) lines.push(`moved patient ${moved.patientId}: ${moved.from} → ${moved.to}`);
  for (const mask of diff.changedMasks.slice(0, 20)) lines.push(`mask of slice ${mask.sliceId}: Dice ${mask.dice.toFixed(3)} to the previous one`);
  return lines.join('\n');
}

/** Polls a release until its build job ends (ready or failed). */
export function waitForRelease(id: string, quiet: boolean): Promise<Release> {
  const api = connect();
  return follow<Release>({
    poll: () => getRelease(api, id),
    ended: (release) => release.status !== 'building',
    progress: (release) => ({ value: release.status === 'building' ? 0 : 1, total: 1, fields: { status: release.status } }),
    format: 'building release [{bar}] {status}',
    quiet,
  });
}

function failIfFailed(release: Release): void {
  if (release.status === 'failed') throw new CommandFailure(`release ${release.title} failed: ${release.error ?? 'no error recorded'}`);
}

/** Starts the export (or finds the one already built) and waits until it has ended. */
async function finishedExport(id: string, format: ReleaseExport['format'], quiet: boolean): Promise<ReleaseExport> {
  const api = connect();
  const started = (await api.POST('/api/releases/{id}/exports', { params: { path: { id } }, body: { format } })).data!;
  const ended = (e: ReleaseExport) => e.status === 'succeeded' || e.status === 'failed';
  if (ended(started)) return started;
  return follow<ReleaseExport>({
    poll: async () => (await api.GET('/api/releases/{id}/exports', { params: { path: { id } } })).data!.items.find((e) => e.format === format) ?? started,
    ended,
    progress: (e) => ({ value: ended(e) ? 1 : 0, total: 1, fields: { status: e.status, files: e.files.length } }),
    format: `exporting ${format} [{bar}] {status}`,
    quiet,
  });
}

/** Downloads the archive to `file`, hashing it on the way; answers its sha256 and size. */
async function download(id: string, format: ReleaseExport['format'], file: string, quiet: boolean): Promise<{ sha256: string; bytes: number }> {
  const { data, response } = await connect().GET('/api/releases/{id}/exports/{format}/archive', { params: { path: { id, format } }, parseAs: 'stream' });
  if (!data) throw new CommandFailure(`the API answered ${response.status} with no archive`);
  const hash = createHash('sha256');
  let bytes = 0;
  const total = Number(response.headers.get('content-length') ?? 0);
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!quiet && total) process.stderr.write(`\rdownloading ${format}.tar.gz ${Math.round((bytes / total) * 100)}%`);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(data as WebReadableStream<Uint8Array>), counted, createWriteStream(file));
  if (!quiet && total) process.stderr.write('\n');
  return { sha256: hash.digest('hex'), bytes };
}

interface ExportOptions {
  format: ReleaseExport['format'];
  out?: string;
  expectSha?: string;
  json?: boolean;
}

export function registerReleaseCommand(program: Command): void {
  const release = program.command('release').description('dataset releases: create, list, show, diff, export');

  addSelectionOptions(
    release
      .command('create')
      .description('cut a new release version of the catalog (built by a job)')
      .option('--name <name>', 'the release name (versions count up per name)', 'catalog')
      .option('--description <text>', 'what this version changes'),
  )
    .option('--ratios <train/val/test>', 'split ratios by patient (default 70/10/20)', parseRatios)
    .option('--seed <text>', 'seed of the patient split (same seed, same catalog: same split)')
    .addOption(new Option('--stratify-by <keys...>', 'balance the splits on these').choices([...STRATIFY_KEYS]))
    .addOption(new Option('--label-policy <policy>', 'which label and mask revisions count').choices([...LABEL_POLICIES]))
    .option('--pin <split=patient...>', 'force patients into a split, e.g. test=<uuid> (repeatable)', parsePin)
    .option('--keep-near-duplicates-together', 'put patients with near-duplicate slices in one split')
    .option('--wait', 'wait until the release is ready or failed')
    .option('--json', 'print the release as JSON')
    .action(async (options: CreateOptions) => {
      const created = (await connect().POST('/api/releases', { body: createReleaseRequest(options) })).data!;
      const result = options.wait ? await waitForRelease(created.id, Boolean(options.json)) : created;
      print(options.json, result, () => renderRelease(result));
      failIfFailed(result);
    });

  release
    .command('list')
    .description('every release version, newest first')
    .option('--json', 'print the releases as JSON')
    .action(async (options: { json?: boolean }) => {
      const { items } = (await connect().GET('/api/releases')).data!;
      print(options.json, items, () => renderReleases(items));
    });

  release
    .command('show <id>')
    .description('a release and the composition of its splits')
    .option('--wait', 'wait until it is ready or failed')
    .option('--json', 'print the release as JSON')
    .action(async (id: string, options: { wait?: boolean; json?: boolean }) => {
      const result = options.wait ? await waitForRelease(id, Boolean(options.json)) : await getRelease(connect(), id);
      print(options.json, result, () => renderRelease(result));
      failIfFailed(result);
    });

  release
    .command('diff <from> <to>')
    .description('what changed from one release to another: slices, patients, split moves, masks, labels')
    .option('--json', 'print the diff as JSON')
    .action(async (from: string, to: string, options: { json?: boolean }) => {
      const diff = (await connect().GET('/api/releases/{id}/diff', { params: { path: { id: from }, query: { to } } })).data!;
      print(options.json, diff, () => renderDiff(diff));
    });

  release
    .command('export <id>')
    .description('export a ready release and download the archive, its sha256 checked')
    .addOption(new Option('--format <format>', 'export format').choices([...EXPORT_FORMATS]).default('coco'))
    .option('--out <file>', 'where to write the .tar.gz (default: <release id>-<format>.tar.gz)')
    .option('--expect-sha <sha256>', 'also require this sha256 (e.g. one recorded earlier)')
    .option('--json', 'print the export and the download as JSON')
    .action(async (id: string, options: ExportOptions) => {
      const quiet = Boolean(options.json);
      const done = await finishedExport(id, options.format, quiet);
      if (done.status !== 'succeeded') throw new CommandFailure(`the ${options.format} export of release ${id} failed: ${done.error ?? 'no error recorded'}`);
      if (!done.archiveSha256) throw new CommandFailure(`the API reports no sha256 for the ${options.format} archive of release ${id}: it cannot be checked`);
      const file = path.resolve(options.out ?? `${id}-${options.format}.tar.gz`);
      const { sha256, bytes } = await download(id, options.format, file, quiet);
      for (const [expected, source] of [
        [done.archiveSha256, 'the API reports'],
        [options.expectSha, '--expect-sha gives'],
      ] as const) {
        if (expected && expected.toLowerCase() !== sha256) {
          await rm(file, { force: true });
          throw new CommandFailure(`the downloaded archive's sha256 ${sha256} is not the ${expected} ${source}; ${file} was removed`);
        }
      }
      print(options.json, { ...done, file, sha256, bytes }, () => `${file}: ${bytes} bytes, ${done.files.length} files, sha256 ${sha256} (checked)`);
    });
}
