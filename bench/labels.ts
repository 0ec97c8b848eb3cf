// Times mask saves through the HTTP API (PUT /api/slices/:id/mask, 512x512, a typical lesion, with
// derived facts, warnings and the conditional check), with 20 concurrent clients each autosaving its
// own slice on top of its last revision, on loopback, for a bounded time. Also times first saves on
// fresh slices (the lung field is then read from storage and estimated). The clients run in a worker
// thread (bench/lib/mask-save-clients.ts), not on the API's event loop: in production they are
// browsers on other machines, and sharing the loop charged the clients' own CPU to every save's
// latency. Both threads still run on this one machine's cores. Each scenario also reports the CPU
// one save cost inside the measured window (`cpu_ms_per_save`: the API's event loop, the load
// generator's thread, Node's other threads, the PostgreSQL backends of the bench's database; read
// from /proc, so null parts where PostgreSQL is not on this machine): latency on a shared 2-core box
// moves with whatever else runs, CPU per save much less. BENCH_POOL_SIZE overrides the API's
// connection pool (20). Prints one JSON object and writes it to bench/results/labels.json. Needs
// PostgreSQL (TEST_DATABASE_URL or 127.0.0.1:5432); it creates a database of its own and drops it
// afterwards.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { encodeCocoRle, type CocoRle } from '../libs/mask/src';
import { OBJECT_STORAGE, type ObjectStorage } from '../libs/platform/src';
import { testConfig } from '../libs/platform/testing';
import { createSliceFixture, ellipseMask, type SliceFixture } from '../libs/labels/test/slice-fixtures';
import { actAs } from '../apps/api/src/auth/act-as';
import { createApp } from '../apps/api/src/create-app';
import { threadCpuMs, type ClientsReply, type ClientsRequest, type ClientsSetup } from './lib/mask-save-clients';
import { quantile, report, withScratchDatabase } from './lib/scratch';

const SIDE = 512;
const CLIENTS = 20;
const WARM_UP_MS = 2_000;
const MEASURE_MS = 10_000;
const COLD_SLICES = 40;
const TARGET_P95_MS = 30;
/** Paced scenario: each client saves every this many ms (an eager autosave; editors debounce ~1 s). */
const PACED_INTERVAL_MS = 250;

/** A typical COVID-CS lesion: two patches of opacification in the lower lobes plus a small one, ~3% of the slice. */
function typicalLesion(variant: number): CocoRle {
  const data = new Uint8Array(SIDE * SIDE);
  const shift = variant % 2; // alternate between two slightly different masks, as an autosaving brush does
  for (const [cx, cy, rx, ry] of [
    [165 + shift, 300, 40, 28],
    [350, 310 + shift, 34, 30],
    [330, 200, 12, 10],
  ]) {
    const blob = ellipseMask(SIDE, SIDE, cx, cy, rx, ry);
    for (let i = 0; i < data.length; i++) data[i] |= blob[i];
  }
  return encodeCocoRle({ width: SIDE, height: SIDE, data });
}

/** Sends one request to the client worker and waits for its answer. */
async function ask<K extends ClientsRequest['kind']>(worker: Worker, request: ClientsRequest & { kind: K }): Promise<ClientsReply & { kind: K }> {
  worker.postMessage(request);
  const [reply] = await once(worker, 'message');
  return reply;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const summary = (samples: number[]) => ({
  p50_ms: round(quantile(samples, 0.5)),
  p95_ms: round(quantile(samples, 0.95)),
  p99_ms: round(quantile(samples, 0.99)),
  max_ms: round(Math.max(...samples)),
});

async function freshSlices(dataSource: DataSource, storage: ObjectStorage): Promise<SliceFixture[]> {
  const slices: SliceFixture[] = [];
  for (let i = 0; i < CLIENTS; i++) slices.push(await createSliceFixture(dataSource, storage, { width: SIDE, height: SIDE }));
  return slices;
}

/** CPU (user + system, ms) of each PostgreSQL backend serving this database, by pid; empty when the server is not on this machine. */
async function postgresBackendsCpuMs(dataSource: DataSource): Promise<Map<number, number>> {
  const rows: Array<{ pid: number }> = await dataSource.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // not a process of this machine
    }
  }
  return cpu;
}

interface CpuSnapshot {
  process: NodeJS.CpuUsage;
  mainThread: number | null;
  postgres: Map<number, number>;
}

async function cpuSnapshot(dataSource: DataSource): Promise<CpuSnapshot> {
  return { process: process.cpuUsage(), mainThread: threadCpuMs(), postgres: await postgresBackendsCpuMs(dataSource) };
}

/**
 * CPU per save inside the measured window, in ms: the API's event loop thread, the load generator's
 * thread, the rest of the Node process (GC and JIT helper threads), and the PostgreSQL backends of
 * this database (a backend that started inside the window counts whole). Null parts could not be read.
 */
function cpuPerSave(start: CpuSnapshot, end: CpuSnapshot, loadGeneratorMs: number | null, replies: number) {
  const per = (ms: number | null) => (ms === null || replies === 0 ? null : Math.round((ms / replies) * 1000) / 1000);
  const processMs = (end.process.user + end.process.system - start.process.user - start.process.system) / 1000;
  const mainMs = start.mainThread !== null && end.mainThread !== null ? end.mainThread - start.mainThread : null;
  let postgresMs: number | null = end.postgres.size ? 0 : null;
  for (const [pid, ms] of end.postgres) postgresMs! += ms - (start.postgres.get(pid) ?? 0);
  const other = mainMs !== null && loadGeneratorMs !== null ? processMs - mainMs - loadGeneratorMs : null;
  return {
    saves_in_window: replies,
    api_event_loop: per(mainMs),
    load_generator: per(loadGeneratorMs),
    node_other_threads: per(other),
    postgres_backends: per(postgresMs),
    total: per(postgresMs === null ? null : processMs + postgresMs),
  };
}

/** The 20 clients autosaving until the end (see mask-save-clients.ts); replies that started after the warm-up are measured. */
async function runClients(worker: Worker, dataSource: DataSource, slices: SliceFixture[], intervalMs: number) {
  const asked = ask(worker, { kind: 'run-clients', sliceIds: slices.map((s) => s.sliceId), intervalMs, warmUpMs: WARM_UP_MS, measureMs: MEASURE_MS });
  const snapshotAfter = (ms: number) => new Promise<CpuSnapshot>((resolve, reject) => setTimeout(() => cpuSnapshot(dataSource).then(resolve, reject), ms));
  const [{ statuses, latencies, window }, start, end] = await Promise.all([asked, snapshotAfter(WARM_UP_MS), snapshotAfter(WARM_UP_MS + MEASURE_MS)]);
  return {
    requests: latencies.length,
    statuses,
    throughput_rps: Math.round((latencies.length / MEASURE_MS) * 10_000) / 10,
    latency: summary(latencies),
    cpu_ms_per_save: cpuPerSave(start, end, window.threadCpuMs, window.replies),
  };
}

async function main() {
  const loadAtStart = loadavg()[0];
  await withScratchDatabase(async (databaseUrl) => {
    const app = await createApp(testConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '20' }));
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const dataSource = app.get(DataSource);
    const storage = app.get(OBJECT_STORAGE);
    const setup: ClientsSetup = {
      port,
      authorization: (await actAs(app, 'annotator', 'bench@lesionlab.test')).Authorization,
      bodies: [0, 1].map((variant) => JSON.stringify({ rle: typicalLesion(variant), state: 'draft' })),
    };
    const worker = new Worker(require.resolve('./lib/mask-save-clients'), { workerData: setup });

    // Cold: the first save on each fresh slice, one at a time (lung field read from storage).
    const cold: number[] = [];
    for (let i = 0; i < COLD_SLICES; i++) {
      const slice = await createSliceFixture(dataSource, storage, { width: SIDE, height: SIDE });
      const reply = await ask(worker, { kind: 'save-one', sliceId: slice.sliceId });
      if (reply.status !== 201) throw new Error(`cold save answered ${reply.status}`);
      cold.push(reply.ms);
    }

    // Saturated: 20 clients, each chaining autosaves on its own slice with If-Match of its last ETag, back to back.
    const saturated = await runClients(worker, dataSource, await freshSlices(dataSource, storage), 0);
    // Paced: the same 20 clients, each saving every PACED_INTERVAL_MS (open loop: a late reply does not slow the schedule).
    const paced = await runClients(worker, dataSource, await freshSlices(dataSource, storage), PACED_INTERVAL_MS);
    const [{ n: stored }] = await dataSource.query('SELECT count(*)::int AS n FROM mask_revisions');
    const [{ n: audited }] = await dataSource.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'PUT /api/slices/:id/mask'");
    await worker.terminate();
    await app.close();

    const result = {
      name: 'labels',
      scenario: `PUT /api/slices/:id/mask, ${SIDE}x${SIDE}, 3 lesions (~3% of the slice), facts + warnings, ${CLIENTS} concurrent clients each chaining If-Match on its own slice, from a worker thread over loopback, keep-alive, ${MEASURE_MS / 1000} s measured after ${WARM_UP_MS / 1000} s warm-up`,
      clients: CLIENTS,
      target_p95_ms: TARGET_P95_MS,
      saturated: { ...saturated, meets_target: saturated.latency.p95_ms < TARGET_P95_MS },
      paced: { interval_ms: PACED_INTERVAL_MS, offered_rps: (CLIENTS * 1000) / PACED_INTERVAL_MS, ...paced, meets_target: paced.latency.p95_ms < TARGET_P95_MS },
      first_save_on_fresh_slice: { samples: COLD_SLICES, ...summary(cold) },
      revisions_stored: stored,
      audit_entries_for_saves: audited,
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, load_average_1m_at_start: Math.round(loadAtStart * 100) / 100, load_average_1m_at_end: Math.round(loadavg()[0] * 100) / 100, node: process.version },
    };
    report('labels', result);
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
