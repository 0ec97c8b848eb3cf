// Catalog benchmark: end-to-end import of ../shared/data/infnet-pseudo (fs storage, PostgreSQL),
// a metadata-only insert of 144,167 slice rows, and list/facet latency on a 1,000,000-slice catalog.
// Prints one JSON object and writes it to bench/results/catalog.json.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { sliceQuerySchema, type SliceQuery } from '../libs/contracts/src';
import { CatalogModule } from '../libs/catalog/src/catalog.module';
import { ImportRunner } from '../libs/catalog/src/import/import.runner';
import { insertSliceRows, type SliceRow } from '../libs/catalog/src/import/slice-rows';
import { ImportsRepository } from '../libs/catalog/src/imports.repository';
import { SlicesRepository } from '../libs/catalog/src/slices.repository';
import { LabelsModule } from '../libs/labels/src';
import { loadConfig, migrateDatabase, PlatformModule } from '../libs/platform/src';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INFNET = path.resolve(__dirname, '..', '../shared/data/infnet-pseudo');
const RUNS = 40;
/** `--import-only`: part 1 alone, printed but not written (bench/results/catalog.json keeps the full run). */
const IMPORT_ONLY = process.argv.includes('--import-only');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 100) / 100;
}

async function timeIt(fn: () => Promise<unknown>): Promise<{ p50_ms: number; p95_ms: number; runs: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { p50_ms: percentile(times, 50), p95_ms: percentile(times, 95), runs: RUNS };
}

/** Parts 2 and 3: the metadata-only insert, then list/facet latency on a 1,000,000-slice catalog. */
async function measureCatalog(slices: SlicesRepository, dataSource: DataSource, results: Record<string, unknown>): Promise<void> {
  // 2. Metadata-only insert of 144,167 slice rows (750 patients), through the importer's batch INSERT.
  await dataSource.query(`INSERT INTO blobs (sha256, size, media_type, storage_key) VALUES (repeat('b', 64), 1, 'image/png', 'blobs/bb/bb/' || repeat('b', 64)) ON CONFLICT DO NOTHING`);
  await dataSource.query(`INSERT INTO patients (collection, external_id, label) SELECT 'meta', md5(g::text), (ARRAY['covid','negative'])[1 + g % 2] FROM generate_series(1, 750) g`);
  await dataSource.query(`INSERT INTO scans (patient_id, series_key) SELECT id, external_id FROM patients WHERE collection = 'meta'`);
  const scans: { id: string; patient_id: string; label: 'covid' | 'negative' }[] = await dataSource.query(`SELECT s.id, s.patient_id, p.label FROM scans s JOIN patients p ON p.id = s.patient_id WHERE p.collection = 'meta'`);
  const total = 144167;
  const rows: SliceRow[] = Array.from({ length: total }, (_, i) => {
    const scan = scans[i % scans.length];
    return {
      scanId: scan.id, patientId: scan.patient_id, sliceIndex: Math.floor(i / scans.length), width: 512, height: 512, bitDepth: 8, pixelRepresentation: 0,
      rescaleSlope: 1, rescaleIntercept: 0, windowCenter: null, windowWidth: null, pixelBlob: 'b'.repeat(64), thumbnailBlob: null, originalBlob: null,
      sourceName: `meta_${i}.jpg`, cohort: scan.label, supervision: scan.label === 'covid' ? 'patient' : 'negative', importId: null, phash: BigInt(i),
    };
  });
  const metaStart = Date.now();
  for (let i = 0; i < rows.length; i += 1000) await dataSource.transaction((m) => insertSliceRows(m, rows.slice(i, i + 1000)));
  const metaSeconds = (Date.now() - metaStart) / 1000;
  results.metadata_insert_144167 = { rows: total, seconds: metaSeconds, rows_per_second: Math.round(total / metaSeconds), target_seconds: 60 };

  // 3. A 1,000,000-slice, 7,000-patient catalog generated with set-based SQL.
  const genStart = Date.now();
  await dataSource.query(`INSERT INTO patients (collection, external_id, label) SELECT 'big', md5('big' || g), (ARRAY['covid','negative','unknown'])[1 + g % 3] FROM generate_series(1, 7000) g`);
  await dataSource.query(`INSERT INTO scans (patient_id, series_key) SELECT id, 's' FROM patients WHERE collection = 'big'`);
  const perPatient = Math.ceil((1_000_000 - total) / 7000);
  await dataSource.query(
    `INSERT INTO slices (scan_id, patient_id, slice_index, width, height, bit_depth, pixel_blob, cohort, supervision)
     SELECT sc.id, p.id, i, 512, 512, 8, repeat('b', 64), p.label,
            CASE WHEN p.label = 'covid' AND i % 37 = 0 THEN 'pixel' WHEN p.label = 'covid' THEN 'patient' WHEN p.label = 'negative' THEN 'negative' ELSE 'none' END
       FROM patients p JOIN scans sc ON sc.patient_id = p.id, generate_series(0, $1 - 1) i
      WHERE p.collection = 'big'`,
    [perPatient],
  );
  await dataSource.query('VACUUM ANALYZE slices');
  await dataSource.query('VACUUM ANALYZE patients');
  const [{ n: sliceTotal }] = await dataSource.query('SELECT count(*)::int AS n FROM slices');
  const [{ n: patientTotal }] = await dataSource.query('SELECT count(*)::int AS n FROM patients');
  results.catalog = { slices: sliceTotal, patients: patientTotal, generate_seconds: (Date.now() - genStart) / 1000 };

  const query = (input: Record<string, unknown>): SliceQuery => sliceQuerySchema.parse(input);
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) cursor = (await slices.list(query({ limit: 50, cursor: cursor ?? undefined }))).nextCursor;
  const queries: Record<string, SliceQuery> = {
    first_page: query({ limit: 50 }),
    filtered_page_supervision_cohort: query({ limit: 50, supervision: 'patient', cohort: 'covid' }),
    page_200_deep_by_cursor: query({ limit: 50, cursor: cursor! }),
  };
  const latency: Record<string, unknown> = {};
  const plans: Record<string, string[]> = {};
  const explain = async (sql: string, values: unknown[]) =>
    ((await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
  for (const [key, q] of Object.entries(queries)) {
    latency[key] = await timeIt(() => slices.list(q));
    const { sql, values } = slices.listSql(q);
    plans[key] = await explain(sql, values);
  }
  for (const [key, filters] of Object.entries({ facets_all: {}, facets_cohort: { cohort: 'covid' as const } })) {
    latency[key] = await timeIt(() => slices.facets(filters));
    const { sql, values } = slices.facetsSql(filters);
    plans[key] = await explain(sql, values);
  }
  results.latency = latency;
  results.latency_target_p95_ms = 50;
  results.plans = plans;
}

async function main() {
  const name = `bench_catalog_${process.pid}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-catalog-'));
  const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, date: new Date().toISOString() };
  try {
    await migrateDatabase(url.toString());
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url.toString(), LESIONLAB_HOME: home, SIGNING_SECRET: randomBytes(32).toString('hex'), IMPORT_ALLOWED_ROOTS: path.dirname(INFNET) });
    @Module({ imports: [PlatformModule.forRoot(config), LabelsModule, CatalogModule] })
    class BenchModule {}
    const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
    const dataSource = app.get(DataSource);
    const imports = app.get(ImportsRepository);
    const runner = app.get(ImportRunner);

    // 1. End-to-end import of real slices with their soft masks (threshold 128).
    const haveInfnet = await fs.access(INFNET).then(() => true, () => false);
    if (haveInfnet && !process.argv.includes('--skip-import')) {
      for (const [key, withMasks] of [['import_infnet_pixels_only', false], ['import_infnet_with_masks', true]] as const) {
        const row = await imports.create('images', INFNET, {
          source: { kind: 'path', path: path.join(INFNET, 'images') },
          collection: withMasks ? 'infnet-masks' : 'infnet',
          maskThreshold: 128,
          ...(withMasks && { masks: path.join(INFNET, 'soft-masks') }),
        });
        const started = Date.now();
        const cpuBefore = process.cpuUsage();
        const counts = await runner.run(row.id);
        const seconds = (Date.now() - started) / 1000;
        // CPU of this process, every thread (pixel workers, libuv's pool) but not PostgreSQL's: steadier than the rate on a busy machine.
        const cpu = process.cpuUsage(cpuBefore);
        const finished = await imports.get(row.id);
        results[key] = {
          ...counts,
          seconds,
          slices_per_second: Math.round((counts.imported / seconds) * 10) / 10,
          cpu_ms_per_slice: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(counts.imported, 1)) * 100) / 100,
          timings: finished?.timings,
          target_slices_per_second: 150,
        };
      }
    } else {
      results.import_infnet_with_masks = { skipped: `${INFNET} is absent` };
    }

    if (!IMPORT_ONLY) await measureCatalog(app.get(SlicesRepository), dataSource, results);
    await app.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await fs.rm(home, { recursive: true, force: true });
  }
  const out = JSON.stringify(results, null, 2);
  if (!IMPORT_ONLY) {
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results', 'catalog.json'), `${out}\n`);
  }
  process.stdout.write(`${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
