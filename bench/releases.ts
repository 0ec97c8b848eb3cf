// npm run bench -- releases: a release over a COVID-CS-sized catalog (144,167 slices, 750 patients,
// 3,855 masks; synthetic rows made with set-based SQL), its COCO export, and a diff against its successor.
// Prints one JSON object and writes bench/results/releases.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createReleaseSchema } from '@lesionlab/contracts';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';
import { dataSourceOptions, FsObjectStorage, migrateDatabase, openDataSource, UrlSigner } from '@lesionlab/platform';
import { ReleaseBuilder, ReleaseDiffer, ReleaseExporter } from '@lesionlab/releases';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'lesionlab_bench_releases';

function lesion(cx: number, cy: number, rx: number, ry: number): { counts: string; area: number } {
  const mask = createEmptyMask(512, 512);
  let area = 0;
  for (let y = 0; y < 512; y++) for (let x = 0; x < 512; x++) if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) (mask.data[y * 512 + x] = 1), area++;
  return { counts: encodeCocoRle(mask).counts, area };
}

async function seconds<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e9];
}

async function main() {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  await migrateDatabase(url.toString());
  const dataSource = await openDataSource({ ...dataSourceOptions(url.toString(), 6), url: url.toString() });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lesionlab-bench-releases-'));
  const storage = new FsObjectStorage(root, new UrlSigner('b'.repeat(32), 'http://localhost'), 60);

  const [, seedSeconds] = await seconds(async () => {
    // 400 covid patients (200 with masks, 200 label-only) and 350 negatives
    await dataSource.query(`
      INSERT INTO patients (collection, external_id, label)
      SELECT 'covid-cs-synthetic', md5('patient' || g), CASE WHEN g <= 400 THEN 'covid' ELSE 'negative' END FROM generate_series(1, 750) g`);
    await dataSource.query(`INSERT INTO scans (patient_id, series_key) SELECT id, 'axial' FROM patients`);
    // slices: 3,855 on the 200 masked patients, 64,771 on the 200 label-only ones, 75,541 on the negatives
    await dataSource.transaction(async (manager) => {
      await manager.query(`
        CREATE TEMP TABLE slice_plan ON COMMIT DROP AS
        WITH numbered AS (SELECT p.id AS patient_id, s.id AS scan_id, row_number() OVER (ORDER BY p.external_id) AS n, p.label
                            FROM patients p JOIN scans s ON s.patient_id = p.id),
             groups AS (SELECT *, CASE WHEN label = 'negative' THEN 3 WHEN n % 2 = 0 THEN 1 ELSE 2 END AS kind FROM numbered),
             sized AS (SELECT *, row_number() OVER (PARTITION BY kind ORDER BY n) AS k, count(*) OVER (PARTITION BY kind) AS members FROM groups),
             plan AS (SELECT *, CASE kind WHEN 1 THEN 3855 WHEN 2 THEN 64771 ELSE 75541 END AS total FROM sized)
        SELECT scan_id, patient_id, i AS slice_index, label, kind, md5(patient_id::text || i) || md5(i || patient_id::text) AS pixel_blob
          FROM plan, generate_series(0, (total / members + CASE WHEN k <= total % members THEN 1 ELSE 0 END)::int - 1) i`);
      await manager.query(`INSERT INTO blobs (sha256, size, media_type, storage_key) SELECT pixel_blob, 100000, 'image/png', 'blobs/' || pixel_blob FROM slice_plan`);
      await manager.query(`
        INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort, supervision, phash)
        SELECT scan_id, patient_id, slice_index, 512, 512, 8, pixel_blob, label,
               CASE WHEN kind = 1 THEN 'pixel' WHEN kind = 2 THEN 'patient' ELSE 'negative' END,
               ('x' || substr(md5(random()::text), 1, 16))::bit(64)::bigint
          FROM slice_plan`);
    });
    const shapes = [lesion(150, 250, 40, 30), lesion(360, 220, 25, 45), lesion(180, 300, 15, 15), lesion(330, 330, 60, 35)];
    await dataSource.query(
      `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, state)
       SELECT s.id, 512, 512, ($1::text[])[1 + (s.slice_index % 4)], ($2::int[])[1 + (s.slice_index % 4)], 'import:bench', 'import', 'approved'
         FROM slices s WHERE s.supervision = 'pixel'`,
      [shapes.map((s) => s.counts), shapes.map((s) => s.area)],
    );
  });
  const [[{ slices, patients, masks }]] = [await dataSource.query('SELECT (SELECT count(*)::int FROM slices) AS slices, (SELECT count(*)::int FROM patients) AS patients, (SELECT count(*)::int FROM mask_revisions) AS masks')];

  const builder = new ReleaseBuilder(dataSource, storage);
  const cut = async (seed: string) => {
    const params = createReleaseSchema.parse({ name: 'covid-cs', seed, stratifyBy: ['patient-label', 'supervision', 'lesion-burden'] });
    const [row] = await dataSource.query(
      `INSERT INTO releases (name, version, params) SELECT 'covid-cs', COALESCE(MAX(version), 0) + 1, $1 FROM releases WHERE name = 'covid-cs' RETURNING id`,
      [JSON.stringify(params)],
    );
    const phases: Record<string, number> = {};
    let phase = 'start';
    let since = process.hrtime.bigint();
    const [built, took] = await seconds(() =>
      builder.build(row.id, async (progress) => {
        if (progress.phase === phase) return;
        const now = process.hrtime.bigint();
        phases[phase] = +(Number(now - since) / 1e9).toFixed(2);
        [phase, since] = [progress.phase, now];
      }),
    );
    phases[phase] = +(Number(process.hrtime.bigint() - since) / 1e9).toFixed(2);
    return { id: row.id as string, built, took, phases };
  };
  const first = await cut('bench');
  const [coco, exportSeconds] = await seconds(() => new ReleaseExporter(dataSource, storage).export(first.id, 'coco'));
  // edit 100 masks (new approved revisions), then cut the successor
  const edit = lesion(250, 250, 50, 50);
  await dataSource.query(
    `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, parent_id, state)
     SELECT slice_id, 512, 512, $1, $2, 'bench-reviewer', 'human', id, 'approved' FROM mask_revisions ORDER BY id LIMIT 100`,
    [edit.counts, edit.area],
  );
  const second = await cut('bench');
  const differ = new ReleaseDiffer(dataSource);
  const diffRuns: number[] = [];
  let diff;
  for (let i = 0; i < 3; i++) {
    const [result, took] = await seconds(() => differ.diff(first.id, second.id));
    diff = result;
    diffRuns.push(took);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const result = {
    benchmark: 'releases',
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, storage: 'fs', database: 'PostgreSQL (local)' },
    catalog: { slices, patients, masks, seed_seconds: +seedSeconds.toFixed(2) },
    build: {
      seconds: +first.took.toFixed(2),
      target_seconds: 20,
      note: 'first build renders all 3,855 mask PNGs; the successor reuses them (mask_revision_pngs cache)',
      phases_seconds: first.phases,
      successor_seconds: +second.took.toFixed(2),
      successor_phases_seconds: second.phases,
      slices: first.built.summary.slices,
      splits: Object.fromEntries(Object.entries(first.built.summary.splits).map(([k, v]) => [k, { patients: v.patients, slices: v.slices }])),
    },
    coco_export: { seconds: +exportSeconds.toFixed(2), target_seconds: 30, files: coco.files.length },
    diff: { median_seconds: +median(diffRuns).toFixed(3), runs: diffRuns.map((s) => +s.toFixed(3)), target_seconds: 5, changed_masks: diff!.changedMasks.length, moved_patients: diff!.movedPatients.length },
  };
  const json = JSON.stringify(result);
  process.stdout.write(`${json}\n`);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'releases.json'), `${JSON.stringify(result, null, 2)}\n`);
  await dataSource.destroy();
  fs.rmSync(root, { recursive: true, force: true });
  const cleanup = new Client({ connectionString: ADMIN_URL });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await cleanup.end();
}

main().catch((error) => {
  process.stderr.write(`bench releases: ${error.stack ?? error}\n`);
  process.exit(1);
});
